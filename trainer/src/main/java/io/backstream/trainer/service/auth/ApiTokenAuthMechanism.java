package io.backstream.trainer.service.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Set;

/**
 * The static API tokens as an HTTP authentication mechanism, beside smallrye-jwt's. It runs first
 * (higher priority) and never fails: a bearer token that is not one of ours gives no identity, and
 * the JWT mechanism gets its turn — so neither mechanism masks the other. Only when no mechanism
 * knows the token does the request fail (401, see {@link AuthErrorMappers}).
 *
 * <p>With {@code backstream.auth.enabled=false} every caller is an operator.
 */
@ApplicationScoped
public class ApiTokenAuthMechanism implements HttpAuthenticationMechanism {
    /** Before smallrye-jwt's mechanism (which has the default priority). */
    static final int PRIORITY = DEFAULT_PRIORITY + 100;
    static final String CHALLENGE = "Bearer realm=\"backstream\"";

    private static final SecurityIdentity OPEN = QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal("anyone (backstream.auth.enabled=false)"))
            .addRole(Roles.OPERATOR)
            .addRole(Roles.VIEWER)
            .addAttribute(ApiTokenIdentityProvider.MECHANISM_ATTRIBUTE, "none")
            .build();

    @Inject
    AuthSettings settings;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (!settings.enabled()) return Uni.createFrom().item(OPEN);
        String token = bearerToken(context.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (token == null || settings.tokens().isEmpty()) return Uni.createFrom().nullItem();
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new ApiTokenRequest(token), context))
                .onFailure(AuthenticationFailedException.class).recoverWithNull(); // not ours: maybe a JWT
    }

    /** The token of an {@code Authorization: Bearer <token>} header (scheme case-insensitive), or null. */
    static String bearerToken(String authorization) {
        if (authorization == null) return null;
        String h = authorization.strip();
        if (h.length() <= 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) return null;
        String token = h.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", CHALLENGE));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiTokenRequest.class);
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }
}
