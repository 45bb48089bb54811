package io.backstream.trainer.service.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The static API tokens: entries name:role:token from configuration and from a file, what is refused, and lookups. */
class ApiTokensTest {
    private static final String OPS = "ops-token-0123456789abcdef";
    private static final String VIEW = "view-token-0123456789abcdef";

    private static String refused(List<String> entries) {
        return assertThrows(IllegalArgumentException.class, () -> ApiTokens.parse(entries, "backstream.auth.tokens", Optional.empty())).getMessage();
    }

    @Test
    void entriesFromConfigurationFindTheirHolders() {
        ApiTokens tokens = ApiTokens.parse(List.of("alice:operator:" + OPS, " bob : viewer : " + VIEW, ""), "backstream.auth.tokens", Optional.empty());
        assertEquals(2, tokens.size());
        assertEquals(Optional.of(new ApiTokens.Holder("alice", "operator")), tokens.find(OPS));
        assertEquals(Optional.of(new ApiTokens.Holder("bob", "viewer")), tokens.find(VIEW));
        assertEquals(Optional.empty(), tokens.find("ops-token-0123456789abcdeX"));
        assertEquals(Optional.empty(), tokens.find(""));
        assertEquals(Optional.empty(), tokens.find(null));
    }

    @Test
    void aTokenMayContainColons() {
        ApiTokens tokens = ApiTokens.parse(List.of("ci:operator:abc:def:0123456789abcdef"), "k", Optional.empty());
        assertEquals("ci", tokens.find("abc:def:0123456789abcdef").orElseThrow().name());
    }

    @Test
    void entriesFromAFileWithCommentsAndBlankLines(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# API tokens of the trainer\n\nci:operator:" + OPS + "\n  # dashboards\ngrafana:viewer:" + VIEW + "\n");
        ApiTokens tokens = ApiTokens.parse(List.of(), "k", Optional.of(file));
        assertEquals(List.of(new ApiTokens.Holder("ci", "operator"), new ApiTokens.Holder("grafana", "viewer")), tokens.holders());
    }

    @Test
    void configurationAndFileAddUp(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "grafana:viewer:" + VIEW + "\n");
        ApiTokens tokens = ApiTokens.parse(List.of("ci:operator:" + OPS), "k", Optional.of(file));
        assertEquals(2, tokens.size());
    }

    @Test
    void anUnreadableFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        String m = assertThrows(IllegalArgumentException.class, () -> ApiTokens.parse(List.of(), "k", Optional.of(missing))).getMessage();
        assertTrue(m.contains(missing.toString()), m);
    }

    @Test
    void badEntriesAreNamedWithoutTheirTokens() {
        String m = refused(List.of("alice:admin:" + OPS, "bob:viewer:short", "just-a-token-without-name-and-role", "c d:viewer:" + VIEW));
        assertTrue(m.contains("entry 1 (alice): unknown role 'admin'"), m);
        assertTrue(m.contains("entry 2 (bob): the token must have at least 16 characters"), m);
        assertTrue(m.contains("entry 3: expected name:role:token"), m);
        assertTrue(m.contains("entry 4: the name must be"), m);
        assertFalse(m.contains(OPS) || m.contains("short") || m.contains("just-a-token") || m.contains(VIEW), m);
    }

    @Test
    void aTokenWithSpacesIsRefused() {
        String m = refused(List.of("alice:operator:0123456789 abcdef"));
        assertTrue(m.contains("printable ASCII without spaces"), m);
    }

    @Test
    void namesAndTokensAreUnique() {
        assertTrue(refused(List.of("alice:operator:" + OPS, "alice:viewer:" + VIEW)).contains("name 'alice' is used twice"));
        String m = refused(List.of("alice:operator:" + OPS, "bob:viewer:" + OPS));
        assertTrue(m.contains("'alice' and 'bob' are the same token"), m);
        assertFalse(m.contains(OPS), m);
    }

    @Test
    void theBearerTokenOfAnAuthorizationHeader() {
        assertEquals("abc", ApiTokenAuthMechanism.bearerToken("Bearer abc"));
        assertEquals("abc", ApiTokenAuthMechanism.bearerToken("bearer   abc "));
        assertEquals("abc", ApiTokenAuthMechanism.bearerToken("BEARER abc"));
        assertEquals(null, ApiTokenAuthMechanism.bearerToken("Bearer"));
        assertEquals(null, ApiTokenAuthMechanism.bearerToken("Bearer  "));
        assertEquals(null, ApiTokenAuthMechanism.bearerToken("Basic abc"));
        assertEquals(null, ApiTokenAuthMechanism.bearerToken("Bearerabc"));
        assertEquals(null, ApiTokenAuthMechanism.bearerToken(null));
    }
}
