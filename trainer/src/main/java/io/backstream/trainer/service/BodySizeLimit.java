package io.backstream.trainer.service;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A request whose Content-Length is above {@code quarkus.http.limits.max-body-size} is answered 413
 * with an {@code {"errors": [...]}} body naming the size and the limit, like every other refusal of
 * the API. Quarkus's own check, just after this one, would end it with an empty body. A chunked
 * request has no Content-Length: it still meets Quarkus's check while its body is read, and that
 * one answers 413 with no body (the response is written before any handler of ours sees the
 * failure). curl {@code -F} and browsers' form uploads send a Content-Length.
 */
@ApplicationScoped
class BodySizeLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize limit;

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            long bytes;
            try {
                bytes = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                bytes = -1; // Quarkus's own handling of a bad header applies
            }
            if (bytes <= limit.asLongValue()) {
                ctx.next();
                return;
            }
            String error = "request body: " + bytes + " bytes, above the limit of " + limit.asLongValue()
                    + " bytes (quarkus.http.limits.max-body-size); an init model of the tutorial CNN is ~600 KB";
            ctx.response().setStatusCode(413).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
                    .end(new JsonObject().put("errors", new JsonArray().add(error)).encode());
        });
    }
}
