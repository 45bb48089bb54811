package io.backstream.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A stand-in for the trainer's control API behind the metrics service's proxy ({@link TrainerProxy}):
 * records every request it gets and answers as the trainer would. Operator token: {@value #TOKEN}.
 */
public class FakeTrainer implements QuarkusTestResourceLifecycleManager {

    static final String TOKEN = "fake-operator-token";

    /** One request as the trainer received it. */
    record Received(String method, String path, String authorization, String contentType, String body) {}

    static final BlockingQueue<Received> RECEIVED = new LinkedBlockingQueue<>();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        return Map.of("backstream.trainer.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) server.stop(0);
    }

    private void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String authorization = x.getRequestHeaders().getFirst("Authorization");
        String path = x.getRequestURI().getRawPath();
        RECEIVED.add(new Received(x.getRequestMethod(), path, authorization, x.getRequestHeaders().getFirst("Content-Type"), body));
        boolean operator = ("Bearer " + TOKEN).equals(authorization);
        String method = x.getRequestMethod();
        if (method.equals("GET") && path.equals("/api/runs")) {
            answer(x, 200, "[{\"id\":\"run-f1\",\"state\":\"RUNNING\"}]");
        } else if (method.equals("POST") && !operator) {
            x.getResponseHeaders().add("WWW-Authenticate", "Bearer");
            answer(x, 401, "{\"errors\":[\"an operator token is required\"]}");
        } else if (method.equals("POST") && path.equals("/api/runs")) {
            x.getResponseHeaders().add("Location", "http://127.0.0.1:" + server.getAddress().getPort() + "/api/runs/run-new");
            answer(x, 201, "{\"id\":\"run-new\"}");
        } else if (method.equals("POST") && path.equals("/api/runs/run-f1/pause")) {
            answer(x, 200, "{\"id\":\"run-f1\",\"state\":\"PAUSED\"}");
        } else {
            answer(x, 404, "{\"errors\":[\"unknown run\"]}");
        }
    }

    private static void answer(HttpExchange x, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }
}
