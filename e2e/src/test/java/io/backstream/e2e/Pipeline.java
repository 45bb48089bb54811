package io.backstream.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backstream.trainer.cli.demo.LocalPipeline;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.PrintWriter;
import io.backstream.trainer.cli.demo.Supervisor;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The four services as separate JVMs, as deployed, started as {@code ./backstream demo} starts them
 * ({@link LocalPipeline}: the local broker if none runs, then the services), plus the HTTP calls the
 * tests make. Ports 1808x keep clear of a developer's running demo (808x); the system property
 * {@code backstream.e2e.port} moves the four ports (e.g. to run two checkouts' tests side by side).
 */
final class Pipeline implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    static final Path HOME = Path.of(System.getProperty("backstream.home", "..")).toAbsolutePath().normalize();
    static final int TRAINER = Integer.getInteger("backstream.e2e.port", 18080);
    static final int LOADER = TRAINER + 1;
    static final int EVALUATOR = TRAINER + 2;
    static final int METRICS = TRAINER + 3;

    private LocalPipeline services;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    /** Starts the broker (unless it runs) and the four services; again after {@link #killEverything()}, on the same data. */
    Pipeline start() throws IOException, InterruptedException {
        services = new LocalPipeline(HOME, TRAINER, HOME.resolve("e2e").resolve("target").resolve("service-logs"), "2");
        services.start(new PrintWriter(System.out, true));
        return this;
    }

    /** As a test class's {@code @RegisterExtension static} field: started before its tests, closed after them. */
    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** The operator API token the pipeline's trainer accepts. */
    String apiToken() {
        return services.apiToken();
    }

    /** The broker the services use. */
    String bootstrap() {
        return services.bootstrap();
    }

    /** A POST as the pipeline's operator (its API token, {@code work/api-token}). */
    HttpResponse<String> post(int port, String path, String body) throws IOException, InterruptedException {
        return post(port, path, body, services.apiToken());
    }

    /** A POST with this bearer token, or none if null. */
    HttpResponse<String> post(int port, String path, String body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
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

    /** GET /api/runs. */
    JsonNode runs() throws IOException, InterruptedException {
        return json.readTree(get(TRAINER, "/api/runs").body());
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

    /** Polls the run until its step is at least {@code step}; a trainer that is restarting (no answer) is waited for. */
    void awaitStep(String id, long step, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                JsonNode view = run(id);
                if (view.path("step").asLong() >= step) return;
                last = view.toString();
            } catch (IOException e) {
                last = "no answer: " + e; // the trainer is restarting
            }
            Thread.sleep(50);
        }
        throw new AssertionError("run " + id + " did not reach step " + step + " in " + timeout.toSeconds() + " s: " + last);
    }

    /** The supervisor of one service ("trainer", "data-loader", "evaluator", "metrics"): its pid, its restarts. */
    Supervisor supervisor(String service) {
        return services.supervisor(service);
    }

    /** GET /api/runs/{id}/model.onnx. */
    byte[] model(String id) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TRAINER + "/api/runs/" + id + "/model.onnx")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new AssertionError("model.onnx of " + id + " answered " + r.statusCode());
        return r.body();
    }

    /**
     * A power cut: SIGKILL to the four services and the broker at once, their supervision ended first so
     * nothing restarts them. {@link #start()} starts everything again on the same data.
     */
    void killEverything() throws Exception {
        List<ProcessHandle> victims = new ArrayList<>();
        for (String service : List.of("trainer", "data-loader", "evaluator", "metrics")) {
            Supervisor supervisor = services.supervisor(service);
            supervisor.close();
            victims.add(ProcessHandle.of(supervisor.service().pid()).orElseThrow());
        }
        victims.add(ProcessHandle.of(brokerPid()).orElseThrow());
        victims.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : victims) p.onExit().get(30, TimeUnit.SECONDS);
        services.close(); // nothing left to stop: it forgets the dead processes
    }

    /** The local broker's process id, from {@code scripts/kafka.sh status}. */
    private static long brokerPid() throws IOException, InterruptedException {
        Process status = new ProcessBuilder(HOME.resolve("scripts").resolve("kafka.sh").toString(), "status").redirectErrorStream(true).start();
        String out = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        status.waitFor();
        Matcher m = Pattern.compile("running \\(pid (\\d+)").matcher(out);
        if (!m.find()) throw new AssertionError("no running broker: kafka.sh status says " + out.strip());
        return Long.parseLong(m.group(1));
    }

    /** Stops the local broker and starts it again on the same data ({@code scripts/kafka.sh}). */
    void restartBroker(Duration down) throws IOException, InterruptedException {
        Path script = HOME.resolve("scripts").resolve("kafka.sh");
        if (new ProcessBuilder(script.toString(), "stop").inheritIO().start().waitFor() != 0) throw new AssertionError("kafka.sh stop failed");
        Thread.sleep(down.toMillis());
        if (new ProcessBuilder(script.toString(), "start").inheritIO().start().waitFor() != 0) throw new AssertionError("kafka.sh start failed");
    }

    @Override
    public void close() {
        if (services != null) services.close();
    }
}
