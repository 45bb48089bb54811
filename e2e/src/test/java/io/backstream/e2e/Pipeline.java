package io.backstream.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backstream.trainer.cli.demo.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The four services as separate JVMs, as deployed, against the real broker at
 * {@code BACKSTREAM_KAFKA_BOOTSTRAP}. Ports 1808x keep clear of a developer's running demo (808x).
 */
final class Pipeline implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("backstream.home", "..")).toAbsolutePath().normalize();
    static final String BOOTSTRAP = System.getenv().getOrDefault("BACKSTREAM_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    static final int TRAINER = 18080;
    static final int LOADER = 18081;
    static final int EVALUATOR = 18082;
    static final int METRICS = 18083;

    private final List<ServiceProcess> services = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    Pipeline start() throws IOException, InterruptedException {
        Map<String, String> env = Map.of("BACKSTREAM_KAFKA_BOOTSTRAP", BOOTSTRAP, "OMP_NUM_THREADS", "2");
        List<String> jvm = List.of("-Xmx768m", "-Dbackstream.home=" + HOME);
        Path logs = HOME.resolve("e2e").resolve("target").resolve("service-logs");
        add("data-loader", LOADER, logs, env, jvm);
        add("trainer", TRAINER, logs, env, jvm);
        add("evaluator", EVALUATOR, logs, env, jvm);
        add("metrics", METRICS, logs, env, jvm);
        for (ServiceProcess s : services) s.start();
        for (ServiceProcess s : services) s.awaitReady(Duration.ofSeconds(120));
        return this;
    }

    private void add(String module, int port, Path logs, Map<String, String> env, List<String> jvm) {
        Path jar = HOME.resolve(module).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
        services.add(new ServiceProcess(module, jar, port, logs.resolve(module + ".log"), env, jvm));
    }

    HttpResponse<String> post(int port, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json");
        return http.send(b.POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST /api/runs; returns the new run's id. */
    String startRun(String spec) throws IOException, InterruptedException {
        HttpResponse<String> r = post(TRAINER, "/api/runs", spec);
        if (r.statusCode() != 201) throw new AssertionError("POST /api/runs answered " + r.statusCode() + ": " + r.body());
        return json.readTree(r.body()).get("id").asText();
    }

    JsonNode run(String id) throws IOException, InterruptedException {
        return json.readTree(get(TRAINER, "/api/runs/" + id).body());
    }

    /** Polls the run until its state is one of {@code states}; returns the last view. */
    JsonNode awaitState(String id, Duration timeout, String... states) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = run(id);
            for (String s : states) if (s.equals(last.path("state").asText())) return last;
            Thread.sleep(200);
        }
        throw new AssertionError("run " + id + " not in " + List.of(states) + " after " + timeout.toSeconds() + " s: " + last);
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) services.get(i).stop();
    }
}
