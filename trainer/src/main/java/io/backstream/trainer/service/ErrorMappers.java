package io.backstream.trainer.service;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** 400 a bad spec or init model (one entry per problem), 404 unknown run, 409 a transition the state does not allow, 429 too many runs, 503 Kafka unavailable. */
class ErrorMappers {

    @ServerExceptionMapper
    Response invalid(InvalidSpecException e) {
        return respond(Response.Status.BAD_REQUEST, e.errors());
    }

    @ServerExceptionMapper
    Response notFound(RunNotFoundException e) {
        return respond(Response.Status.NOT_FOUND, List.of(e.getMessage()));
    }

    @ServerExceptionMapper
    Response conflict(RunConflictException e) {
        return respond(Response.Status.CONFLICT, List.of(e.getMessage()));
    }

    @ServerExceptionMapper
    Response tooMany(TooManyRunsException e) {
        return respond(Response.Status.TOO_MANY_REQUESTS, List.of(e.getMessage()));
    }

    @ServerExceptionMapper
    Response unavailable(UnavailableException e) {
        return respond(Response.Status.SERVICE_UNAVAILABLE, List.of(e.getMessage()));
    }

    private static Response respond(Response.Status status, List<String> errors) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorResponse(errors)).build();
    }
}
