package io.backstream.trainer.service.auth;

import io.backstream.trainer.service.ErrorResponse;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 401 (with {@code WWW-Authenticate: Bearer}) when no or an unknown/invalid token comes with a call
 * that needs a role, 403 when the caller's roles lack it; bodies as every other error,
 * {@code {"errors": [...]}}. (Authentication is lazy, {@code quarkus.http.auth.proactive=false}, so
 * these failures reach the REST layer.)
 */
class AuthErrorMappers {
    private static final Logger LOG = Logger.getLogger(AuthErrorMappers.class);

    @ServerExceptionMapper
    Response noCredentials(UnauthorizedException e) {
        return Response.status(Response.Status.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, ApiTokenAuthMechanism.CHALLENGE)
                .type(MediaType.APPLICATION_JSON)
                .entity(new ErrorResponse(List.of("authentication required: send Authorization: Bearer <token>, an operator's API token or JWT")))
                .build();
    }

    @ServerExceptionMapper
    Response badCredentials(AuthenticationFailedException e) {
        LOG.debugf(e, "authentication failed");
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, ApiTokenAuthMechanism.CHALLENGE + ", error=\"invalid_token\"")
                .type(MediaType.APPLICATION_JSON)
                .entity(new ErrorResponse(List.of("invalid bearer token: neither a configured API token nor a valid JWT")))
                .build();
    }

    @ServerExceptionMapper
    Response forbidden(ForbiddenException e) {
        return Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorResponse(List.of("forbidden: creating, pausing, resuming and stopping runs needs the " + Roles.OPERATOR + " role")))
                .build();
    }
}
