package io.backstream.metrics;

import io.backstream.events.Json;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** The metrics service's own error answers: {@code {"error": "..."}}. */
final class ErrorResponse {

    static Response of(Response.Status status, String message) {
        return Response.status(status).entity(Json.write(Map.of("error", message))).build();
    }

    private ErrorResponse() {}
}
