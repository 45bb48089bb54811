package io.backstream.trainer.service.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token presented to the control API, to be matched against the static API tokens. */
public final class ApiTokenRequest extends BaseAuthenticationRequest {
    private final String token;

    public ApiTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    @Override
    public String toString() {
        return "ApiTokenRequest[***]";
    }
}
