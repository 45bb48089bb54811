package io.backstream.trainer.service.auth;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.interceptor.Interceptor;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * How callers of the control API authenticate, read once at start-up:
 *
 * <ul>
 *   <li>{@code backstream.auth.tokens} (env {@code BACKSTREAM_AUTH_TOKENS}): static API tokens,
 *   comma-separated {@code name:role:token} entries, role {@code operator} or {@code viewer};</li>
 *   <li>{@code backstream.auth.tokens-file} (env {@code BACKSTREAM_AUTH_TOKENS_FILE}): a file of such
 *   entries, one per line (e.g. a mounted Kubernetes secret);</li>
 *   <li>JWTs, verified by smallrye-jwt once {@code mp.jwt.verify.publickey} or
 *   {@code mp.jwt.verify.publickey.location} is set (with {@code mp.jwt.verify.issuer}); their
 *   {@code groups} claim holds the roles;</li>
 *   <li>{@code backstream.auth.enabled=false} (env {@code BACKSTREAM_AUTH_ENABLED}): no
 *   authentication at all, every caller is an operator; said in a warning at start.</li>
 * </ul>
 *
 * With authentication enabled and neither tokens nor a JWT key configured, start-up fails: the
 * service never runs open by accident; the check runs before the trainer's own start-up (which takes
 * runs back from Kafka), so a misconfigured trainer does nothing before it exits.
 */
@Startup(Interceptor.Priority.PLATFORM_BEFORE)
@Singleton
public class AuthSettings {
    private static final Logger LOG = Logger.getLogger(AuthSettings.class);

    static final String ENABLED = "backstream.auth.enabled";
    static final String TOKENS = "backstream.auth.tokens";
    static final String TOKENS_FILE = "backstream.auth.tokens-file";
    /** Any of these set means JWTs can be verified. */
    static final List<String> JWT_KEYS = List.of("mp.jwt.verify.publickey", "mp.jwt.verify.publickey.location", "smallrye.jwt.verify.key.location");

    private boolean enabled = true;
    private ApiTokens tokens = ApiTokens.none();
    private boolean jwt;

    @PostConstruct
    void load() {
        Config config = ConfigProvider.getConfig();
        enabled = config.getOptionalValue(ENABLED, Boolean.class).orElse(true);
        List<String> entries = config.getOptionalValues(TOKENS, String.class).orElse(List.of());
        Optional<Path> file = config.getOptionalValue(TOKENS_FILE, String.class).filter(s -> !s.isBlank()).map(Path::of);
        jwt = JWT_KEYS.stream().anyMatch(k -> config.getOptionalValue(k, String.class).filter(v -> !v.isBlank()).isPresent());
        tokens = ApiTokens.parse(entries, TOKENS, file);
        check(enabled, tokens, jwt);
        for (String line : describe(enabled, tokens, jwt, config.getOptionalValue("mp.jwt.verify.issuer", String.class))) {
            if (!enabled || line.startsWith("JWT without")) LOG.warn(line);
            else LOG.info(line);
        }
    }

    /** Refuses to start with authentication enabled and nothing to authenticate with. */
    static void check(boolean enabled, ApiTokens tokens, boolean jwt) {
        if (enabled && tokens.isEmpty() && !jwt) {
            throw new IllegalStateException("the control API has no credentials configured, and it does not run open by accident: "
                    + "set " + TOKENS + " (env BACKSTREAM_AUTH_TOKENS) to entries name:role:token (role operator or viewer), "
                    + "or " + TOKENS_FILE + " (env BACKSTREAM_AUTH_TOKENS_FILE) to a file of such lines, "
                    + "or mp.jwt.verify.publickey.location and mp.jwt.verify.issuer to accept JWTs; "
                    + "or set " + ENABLED + "=false (env BACKSTREAM_AUTH_ENABLED=false) to run it without authentication");
        }
    }

    /** The start-up log lines: what is accepted (token names and roles, never the tokens). */
    static List<String> describe(boolean enabled, ApiTokens tokens, boolean jwt, Optional<String> issuer) {
        List<String> lines = new ArrayList<>();
        if (!enabled) {
            lines.add("authentication is OFF (" + ENABLED + "=false): anyone who reaches this port can create, pause, resume and stop runs");
            return lines;
        }
        if (!tokens.isEmpty()) {
            lines.add("control API: " + tokens.size() + " API token(s): "
                    + String.join(", ", tokens.holders().stream().map(h -> h.name() + " (" + h.role() + ")").toList()));
        }
        if (jwt) {
            lines.add(issuer.isPresent() ? "control API: JWTs from issuer " + issuer.get() + " (roles from the groups claim)"
                    : "JWT without mp.jwt.verify.issuer: any issuer signing with the configured key is accepted");
        }
        return lines;
    }

    public boolean enabled() {
        return enabled;
    }

    public ApiTokens tokens() {
        return tokens;
    }

    public boolean jwt() {
        return jwt;
    }
}
