package io.backstream.trainer.service.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The trainer never runs open by accident: no API token and no JWT key is a start-up failure naming what to set. */
class AuthSettingsTest {
    private static final ApiTokens ONE = ApiTokens.parse(List.of("ci:operator:0123456789abcdef0123"), "k", Optional.empty());

    @Test
    void nothingConfiguredFailsStartUpNamingTheKeys() {
        String m = assertThrows(IllegalStateException.class, () -> AuthSettings.check(true, ApiTokens.none(), false)).getMessage();
        for (String key : List.of("backstream.auth.tokens", "BACKSTREAM_AUTH_TOKENS", "backstream.auth.tokens-file",
                "mp.jwt.verify.publickey.location", "mp.jwt.verify.issuer", "backstream.auth.enabled=false")) {
            assertTrue(m.contains(key), key + " not in: " + m);
        }
    }

    @Test
    void tokensOrAJwtKeyOrAnExplicitOptOutAreEnough() {
        assertDoesNotThrow(() -> AuthSettings.check(true, ONE, false));
        assertDoesNotThrow(() -> AuthSettings.check(true, ApiTokens.none(), true));
        assertDoesNotThrow(() -> AuthSettings.check(false, ApiTokens.none(), false));
    }

    @Test
    void theStartUpLinesNameHoldersAndIssuerButNoToken() {
        List<String> lines = AuthSettings.describe(true, ONE, true, Optional.of("https://issuer.example"));
        assertEquals(List.of("control API: 1 API token(s): ci (operator)", "control API: JWTs from issuer https://issuer.example (roles from the groups claim)"), lines);
        assertFalse(String.join("\n", lines).contains("0123456789abcdef"));
        assertTrue(AuthSettings.describe(true, ONE, true, Optional.empty()).get(1).startsWith("JWT without mp.jwt.verify.issuer"));
    }

    @Test
    void runningOpenIsSaidOutLoud() {
        List<String> lines = AuthSettings.describe(false, ApiTokens.none(), false, Optional.empty());
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("authentication is OFF (backstream.auth.enabled=false)"), lines.get(0));
    }
}
