package io.backstream.metrics;

import io.backstream.events.Json;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The trainer's control API, passed through on the dashboard's own origin: the page served here can
 * list, start, pause, resume and stop runs without the trainer allowing other origins (no CORS to get
 * right, one URL to open). Requests go to {@code backstream.trainer.url} as they came: method, path,
 * body, {@code Content-Type} and {@code Authorization} (the trainer alone decides who may do what);
 * answers come back as the trainer gave them. Only the calls the API has are passed, so nothing
 * else of the trainer is reachable this way. A trainer that does not answer is a 502 (504 after
 * {@value #TIMEOUT_SECONDS} s) with an {@code {"errors": [...]}} body like the trainer's own.
 */
@Path("/api/runs")
public class TrainerProxy {

    static final int TIMEOUT_SECONDS = 10;
    /** Headers the trainer's answers carry that a client needs. */
    private static final List<String> ANSWER_HEADERS = List.of("Content-Type", "WWW-Authenticate", "Content-Disposition");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String trainer;

    public TrainerProxy(@ConfigProperty(name = "backstream.trainer.url") URI trainer) {
        String url = trainer.toString();
        this.trainer = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @GET
    public CompletionStage<Response> list(@Context HttpHeaders headers) {
        return forward("GET", "/api/runs", null, headers);
    }

    @POST
    public CompletionStage<Response> create(byte[] body, @Context HttpHeaders headers) {
        return forward("POST", "/api/runs", body, headers);
    }

    @GET
    @Path("{id}")
    public CompletionStage<Response> get(@Encoded @PathParam("id") String id, @Context HttpHeaders headers) {
        return forward("GET", "/api/runs/" + id, null, headers);
    }

    @POST
    @Path("{id}/{action: pause|resume|stop}")
    public CompletionStage<Response> control(@Encoded @PathParam("id") String id, @PathParam("action") String action,
                                             @Context HttpHeaders headers) {
        return forward("POST", "/api/runs/" + id + "/" + action, new byte[0], headers);
    }

    @GET
    @Path("{id}/model.onnx")
    public CompletionStage<Response> model(@Encoded @PathParam("id") String id, @Context HttpHeaders headers) {
        return forward("GET", "/api/runs/" + id + "/model.onnx", null, headers);
    }

    private CompletionStage<Response> forward(String method, String path, byte[] body, HttpHeaders headers) {
        return forward(method, path, body, headers::getHeaderString);
    }

    /** The call to the trainer; {@code header} gives the client's value of a request header, or null. */
    CompletionStage<Response> forward(String method, String path, byte[] body, UnaryOperator<String> header) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(trainer + path)).timeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String name : List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT)) {
            String value = header.apply(name);
            if (value != null) request.header(name, value);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(TrainerProxy::answer)
                .exceptionally(this::unreachable);
    }

    private static Response answer(HttpResponse<byte[]> from) {
        Response.ResponseBuilder to = Response.status(from.statusCode()).entity(from.body());
        for (String name : ANSWER_HEADERS) from.headers().firstValue(name).ifPresent(v -> to.header(name, v));
        // the trainer names a new run by its own absolute URL; the client reaches it here
        from.headers().firstValue("Location").map(URI::create).ifPresent(l -> to.header("Location", l.getRawPath()));
        return to.build();
    }

    private Response unreachable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        boolean timedOut = cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException);
        String why = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        String message = "the trainer at " + trainer + (timedOut ? " did not answer within " + TIMEOUT_SECONDS + " s" : " is unreachable: " + why);
        return Response.status(timedOut ? Response.Status.GATEWAY_TIMEOUT : Response.Status.BAD_GATEWAY)
                .entity(Json.write(Map.of("errors", List.of(message)))).header(HttpHeaders.CONTENT_TYPE, "application/json").build();
    }
}
