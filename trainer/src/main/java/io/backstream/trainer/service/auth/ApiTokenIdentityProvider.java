package io.backstream.trainer.service.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Turns a static API token into an identity: the entry's name as principal, its role as the one role. */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<ApiTokenRequest> {
    /** Attribute of every identity this provider makes: how the caller authenticated. */
    public static final String MECHANISM_ATTRIBUTE = "backstream.auth.mechanism";

    @Inject
    AuthSettings settings;

    @Override
    public Class<ApiTokenRequest> getRequestType() {
        return ApiTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiTokenRequest request, AuthenticationRequestContext context) {
        return settings.tokens().find(request.token())
                .map(holder -> Uni.createFrom().item(identity(holder)))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException("not a configured API token")));
    }

    static SecurityIdentity identity(ApiTokens.Holder holder) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(holder.name()))
                .addRole(holder.role())
                .addAttribute(MECHANISM_ATTRIBUTE, "api-token")
                .build();
    }
}
