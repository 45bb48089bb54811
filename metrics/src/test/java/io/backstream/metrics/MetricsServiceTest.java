package io.backstream.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.events.DeadLetter;
import io.backstream.events.EpochSummary;
import io.backstream.events.EvaluationResult;
import io.backstream.events.OptimizerSpec;
import io.backstream.events.RunSpec;
import io.backstream.events.RunState;
import io.backstream.events.RunState.State;
import io.backstream.events.StepLoss;
import io.backstream.events.Topics;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The metrics service against the real broker: events in, Prometheus series, loss curve and SSE out. */
@QuarkusTest
class MetricsServiceTest {

    static final String BOOTSTRAP = System.getenv().getOrDefault("BACKSTREAM_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    static final Duration WAIT = Duration.ofSeconds(60);

    static KafkaProducer<String, String> producer;

    @TestHTTPResource("/api/stream")
    URL streamUrl;

    @BeforeAll
    static void connect() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static void send(String topic, String key, String json) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, json)).get();
    }

    static StepLoss step(String run, long step, double loss, String optimizer) {
        return new StepLoss(run, 1, step, loss, optimizer, 0.001, 4, 800.0 + step, System.currentTimeMillis());
    }

    static EvaluationResult evaluation(String run, double accuracy, double testLoss) {
        return new EvaluationResult(run, 3, 1, accuracy, testLoss, Collections.nCopies(10, accuracy), 96, System.currentTimeMillis());
    }

    static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of {@code name{...run=..., optimizer=...}} in the Prometheus text, or null if absent. */
    static Double value(String text, String name, String run, String optimizer) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(text);
        while (m.find()) {
            String labels = m.group(1);
            if (labels.contains("run=\"" + run + "\"") && labels.contains("optimizer=\"" + optimizer + "\"")) {
                return Double.valueOf(m.group(2));
            }
        }
        return null;
    }

    static double malformed(String text, String topic) {
        Matcher m = Pattern.compile("(?m)^backstream_malformed_events_total\\{[^}]*topic=\"" + Pattern.quote(topic) + "\"[^}]*\\} (\\S+)$")
                .matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(200);
        }
    }

    @Test
    @DisplayName("steps, an epoch summary and an evaluation become the run's series with run/optimizer labels; the loss curve is served thinned")
    void series() throws Exception {
        String run = unique("run-mtest");
        send(Topics.TRAINING_LOSS, run, step(run, 1, 2.30, "adam").toJson());
        send(Topics.TRAINING_LOSS, run, step(run, 2, 2.25, "adam").toJson());
        send(Topics.TRAINING_LOSS, run, step(run, 3, 2.10, "adam").toJson());
        send(Topics.TRAINING_LOSS, run, new EpochSummary(run, 1, 3, 6.65, 6.65 / 3, 790.0, System.currentTimeMillis()).toJson());
        send(Topics.EVALUATION_RESULTS, run, evaluation(run, 0.25, 2.05).toJson());

        Map<String, Double> expected = Map.of(
                "backstream_loss", 2.10, "backstream_running_loss", 6.65, "backstream_epoch", 1.0,
                "backstream_steps_total", 3.0, "backstream_images_per_second", 803.0,
                "backstream_accuracy", 0.25, "backstream_test_loss", 2.05);
        await("every series of " + run, () -> {
            String text = metrics();
            return expected.entrySet().stream().allMatch(e -> e.getValue().equals(value(text, e.getKey(), run, "adam")));
        });
        String text = metrics();
        for (String name : expected.keySet()) assertNull(value(text, name, run, "unknown"), name + " left under optimizer unknown");

        given().get("/api/runs/" + run + "/loss?maxPoints=2").then().statusCode(200)
                .body("runId", equalTo(run)).body("total", equalTo(3))
                .body("steps", contains(1, 3)).body("loss", contains(2.30f, 2.10f));
        given().get("/api/runs/" + run + "/loss").then().statusCode(200).body("steps", contains(1, 2, 3));
        given().get("/api/runs/" + run + "/loss?from=2&to=3").then().statusCode(200).body("total", equalTo(3)).body("steps", contains(2, 3));
        given().get("/api/runs/" + run + "/loss?maxPoints=1").then().statusCode(400).body("error", containsString("maxPoints"));
        given().get("/api/runs/" + run + "/loss?from=3&to=2").then().statusCode(400).body("error", containsString("after"));

        String entry = "runs.find { it.runId == '" + run + "' }";
        given().get("/api/curves?maxPoints=2").then().statusCode(200)
                .body(entry + ".optimizer", equalTo("adam")).body(entry + ".step", equalTo(3))
                .body(entry + ".loss.total", equalTo(3)).body(entry + ".loss.steps", contains(1, 3))
                .body(entry + ".epochs.runningLoss", contains(6.65f)).body(entry + ".evaluations.accuracy", contains(0.25f));
        given().get("/api/curves?maxPoints=1").then().statusCode(400);
        given().get("/api/runs/" + unique("run-none") + "/loss").then().statusCode(404);
    }

    @Test
    @DisplayName("an evaluation that comes before the run's first loss event is relabelled with the optimizer once known")
    void optimizerLearnedLater() throws Exception {
        String run = unique("run-mlate");
        send(Topics.EVALUATION_RESULTS, run, evaluation(run, 0.5, 1.5).toJson());
        await("accuracy under optimizer unknown", () -> Double.valueOf(0.5).equals(value(metrics(), "backstream_accuracy", run, "unknown")));
        send(Topics.TRAINING_LOSS, run, step(run, 1, 2.0, "sgd").toJson());
        await("accuracy under optimizer sgd", () -> Double.valueOf(0.5).equals(value(metrics(), "backstream_accuracy", run, "sgd")));
        assertNull(value(metrics(), "backstream_accuracy", run, "unknown"));
    }

    @Test
    @DisplayName("malformed JSON on training.loss increments backstream_malformed_events_total{topic=training.loss}")
    void malformedCounted() throws Exception {
        double before = malformed(metrics(), Topics.TRAINING_LOSS);
        assertTrue(before >= 0, "the counter is there from the start");
        send(Topics.TRAINING_LOSS, unique("run-mbad"), "{\"type\":\"step\",\"runId\":");
        await("the malformed counter to grow", () -> malformed(metrics(), Topics.TRAINING_LOSS) >= before + 1);
    }

    @Test
    @DisplayName("records refused onto training.deadletter become the run's backstream_dead_letters_total, each source record once")
    void deadLettersCounted() throws Exception {
        String run = unique("run-mdead");
        send(Topics.TRAINING_LOSS, run, step(run, 1, 2.0, "sgd").toJson());
        await("the run's dead-letter count at 0", () -> Double.valueOf(0).equals(value(metrics(), "backstream_dead_letters_total", run, "sgd")));
        for (long offset : new long[] {41, 41, 57}) {   // 41 twice: dead-lettered again after a crash, still one record
            send(Topics.TRAINING_DEADLETTER, run, new DeadLetter("unknown version 2 (this codec reads version 1)",
                    Topics.TRAINING_BATCHES, 0, offset, run, System.currentTimeMillis()).toJson());
        }
        await("the run's dead-letter count at 2", () -> Double.valueOf(2).equals(value(metrics(), "backstream_dead_letters_total", run, "sgd")));
    }

    /** The states whose backstream_run_state series of the run is 1, in the Prometheus text. */
    static List<String> statesAtOne(String text, String run, String optimizer) {
        List<String> states = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^backstream_run_state\\{([^}]*)\\} (\\S+)$").matcher(text);
        while (m.find()) {
            String labels = m.group(1);
            if (labels.contains("run=\"" + run + "\"") && labels.contains("optimizer=\"" + optimizer + "\"") && Double.parseDouble(m.group(2)) == 1) {
                Matcher state = Pattern.compile("state=\"([A-Z]+)\"").matcher(labels);
                if (state.find()) states.add(state.group(1));
            }
        }
        return states;
    }

    @Test
    @DisplayName("runs.state becomes backstream_run_state: a run no loss event named is known PENDING, and each transition moves the 1; a malformed record is counted")
    void runStates() throws Exception {
        String run = unique("run-mstate");
        RunSpec spec = new RunSpec(OptimizerSpec.of("adam"), 4, 1, null, RunSpec.SYNTHETIC, null);
        for (State state : new State[] {State.PENDING, State.RUNNING, State.PAUSED, State.RUNNING, State.COMPLETED}) {
            send(Topics.RUNS_STATE, run, new RunState(run, state, spec, 1, 0, null, 0.0, null, System.currentTimeMillis()).toJson());
            await(run + " " + state, () -> List.of(state.name()).equals(statesAtOne(metrics(), run, "adam")));
        }
        double before = malformed(metrics(), Topics.RUNS_STATE);
        assertTrue(before >= 0, "the counter is there from the start");
        send(Topics.RUNS_STATE, run, "{\"runId\":\"" + run + "\",\"state\":\"SLEEPING\"}");
        await("the malformed counter to grow", () -> malformed(metrics(), Topics.RUNS_STATE) >= before + 1);
        assertEquals(List.of(State.COMPLETED.name()), statesAtOne(metrics(), run, "adam"));
    }

    @Test
    @DisplayName("/api/stream delivers loss and evaluation events as named server-sent events with the JSON as data")
    void liveStream() throws Exception {
        String run = unique("run-msse");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(streamUrl.toString())).header("Accept", "text/event-stream").build();
        InputStream[] body = new InputStream[1];
        Thread reader = new Thread(() -> {
            try {
                HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                lines.add("status:" + response.statusCode());
                lines.add("content-type:" + response.headers().firstValue("content-type").orElse(""));
                body[0] = response.body();
                try (BufferedReader in = new BufferedReader(new InputStreamReader(body[0], StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) lines.add(line);
                }
            } catch (Exception e) {
                lines.add("error:" + e);
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            // the client may connect after the first events: keep stepping until one of ours shows up
            String stepLine = null;
            long end = System.nanoTime() + WAIT.toNanos();
            for (long s = 1; stepLine == null && System.nanoTime() < end; s++) {
                send(Topics.TRAINING_LOSS, run, step(run, s, 2.0, "sgd").toJson());
                stepLine = next(lines, l -> l.startsWith("data:") && l.contains(run), Duration.ofMillis(500));
            }
            assertTrue(stepLine != null, "a step event of " + run + " on the stream");
            assertTrue(StepLoss.parse(stepLine.substring(5).trim()).runId().equals(run));
            send(Topics.EVALUATION_RESULTS, run, evaluation(run, 0.75, 0.9).toJson());
            String evalName = next(lines, l -> l.equals("event:evaluation") || l.equals("event: evaluation"), WAIT);
            assertTrue(evalName != null, "an evaluation event");
            String evalData = next(lines, l -> l.startsWith("data:"), WAIT);
            EvaluationResult r = EvaluationResult.parse(evalData.substring(5).trim());
            assertEquals(run, r.runId());
            assertEquals(0.75, r.accuracy());
        } finally {
            if (body[0] != null) body[0].close();
            reader.interrupt();
        }
    }

    /** The next line matching, skipping others, within {@code timeout}; null if none. */
    static String next(BlockingQueue<String> lines, java.util.function.Predicate<String> match, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) return null;
            String line = lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) return null;
            if (line.startsWith("error:") || line.startsWith("status:") && !line.equals("status:200")) {
                throw new AssertionError("stream: " + line);
            }
            if (match.test(line)) return line;
        }
    }

}
