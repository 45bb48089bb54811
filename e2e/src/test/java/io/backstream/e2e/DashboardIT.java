package io.backstream.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.backstream.events.EpochSummary;
import io.backstream.events.StepLoss;
import io.backstream.events.Topics;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real browser against the running pipeline: two runs train (SGD with momentum and
 * Adam) while four finished runs of 50,000 steps each sit beside them; headless Chromium
 * ({@code e2e/src/test/browser/dashboard-check.mjs}) loads the metrics service's page, sees every curve
 * drawn and the live ones grow, zooms in, and pauses a run with its controls, first without the
 * operator token and then with it pasted. Screenshot: {@code e2e/target/dashboard.png}.
 */
class DashboardIT {
    static final int BIG_STEPS = 50_000;
    static final List<String> BIG_OPTIMIZERS = List.of("sgd", "adam", "rmsprop", "adamw");
    static final Path TARGET = Pipeline.HOME.resolve("e2e").resolve("target");

    static Pipeline pipeline;
    static final List<String> training = new ArrayList<>();

    @BeforeAll
    static void startServices() throws Exception {
        pipeline = new Pipeline();   // assigned first: a start that fails half-way is still closed
        pipeline.start();
    }

    @AfterAll
    static void stopServices() throws Exception {
        if (pipeline == null) return;
        try {
            // a run left active would be taken back by the next pipeline's trainer (and count against its run limit)
            for (String id : training) pipeline.post(Pipeline.TRAINER, "/api/runs/" + id + "/stop", null);
            for (String id : training) pipeline.awaitState(id, Duration.ofSeconds(30), "STOPPED", "COMPLETED", "FAILED");
        } finally {
            pipeline.close();
        }
    }

    @Test
    void curvesGrowLiveAndAPauseClickTakesEffect() throws Exception {
        List<String> big = publishFinishedRuns();
        for (String optimizer : List.of("{\"type\":\"sgd\",\"momentum\":0.9}", "{\"type\":\"adam\"}")) {
            training.add(pipeline.startRun("{\"optimizer\":" + optimizer + ",\"batchSize\":4,\"epochs\":50,\"snapshotEvery\":250}"));
        }
        for (String id : training) pipeline.awaitState(id, Duration.ofSeconds(60), "RUNNING");
        for (String id : big) awaitMetricsHolds(id, BIG_STEPS);
        String paused = training.get(0);

        Path screenshot = TARGET.resolve("dashboard.png");
        Files.deleteIfExists(screenshot);
        JsonNode r = BrowserCheck.run("dashboard-check.mjs", Map.of(
                "DASHBOARD_URL", "http://127.0.0.1:" + Pipeline.METRICS + "/",
                "API_TOKEN", pipeline.apiToken(),
                "RUNS", String.join(",", training),
                "PAUSE_RUN", paused,
                "BIG_RUNS", String.join(",", big),
                "SCREENSHOT", screenshot.toString()), TARGET.resolve("dashboard-check.log"), Duration.ofMinutes(4));
        System.out.println("dashboard-check: " + r.toPrettyString());

        assertEquals(0, r.path("pageErrors").size(), "no script errors: " + r.path("pageErrors"));
        // every run's curve is drawn; the live ones grow without a reload
        for (String id : training) {
            JsonNode run = r.path("runs").path(id);
            assertTrue(run.path("pixelsBefore").asInt() > 0, id + " is drawn on the loss chart: " + run);
            assertTrue(run.path("stepAfter").asLong() > run.path("stepBefore").asLong(), id + " moved on in the page: " + run);
            assertTrue(run.path("pointsAfter").asInt() > run.path("pointsBefore").asInt(), id + "'s curve grew: " + run);
            assertTrue(run.path("imagesPerSecond").asDouble() > 0, id + " shows its images/s");
        }
        assertTrue(r.at("/runs/" + training.get(0) + "/label").asText().startsWith("sgd momentum 0.9 lr 0.001 bs 4"), "the legend names the optimizer");
        assertTrue(r.at("/runs/" + training.get(1) + "/label").asText().startsWith("adam lr 0.001 bs 4"));
        // 50,000 points a curve reach the page thinned on the server, and it stays quick
        for (String id : big) {
            JsonNode run = r.path("bigRuns").path(id);
            assertEquals(BIG_STEPS, run.path("total").asInt(), id);
            assertTrue(run.path("drawn").asInt() > 0 && run.path("drawn").asInt() <= 8_000, id + ": thinned to at most 8,000 points: " + run);
            assertTrue(run.path("pixels").asInt() > 0, id + " is drawn: " + run);
            assertTrue(r.at("/zoom/points/" + id + "/after").asInt() > r.at("/zoom/points/" + id + "/before").asInt(),
                    id + ": zooming in brings that stretch in more detail: " + r.path("zoom"));
        }
        assertTrue(r.at("/timings/allCurvesMs").asLong() > 0 && r.at("/timings/allCurvesMs").asLong() < 15_000,
                "every curve within 15 s of opening the page: " + r.path("timings"));
        assertTrue(r.at("/timings/maxRenderMs").asDouble() < 5_000, "no redraw freezes the page (a loaded 2-core machine stretches tens of ms into a second or two): " + r.path("timings"));
        assertTrue(r.at("/longTasks/maxMs").asDouble() < 5_000, "no task freezes the page: " + r.path("longTasks"));
        // the controls: refused without a token (the page says why), done with it
        assertTrue(r.path("withoutToken").asText().contains("operator token"), "without a token: " + r.path("withoutToken"));
        assertTrue(r.path("pausedShown").asBoolean(), "the page shows PAUSED: " + r.path("message"));
        assertEquals("PAUSED", pipeline.run(paused).path("state").asText(), "the trainer has the run paused");
        assertEquals("RUNNING", pipeline.run(training.get(1)).path("state").asText(), "the other run trains on");
        assertTrue(r.path("resumeEnabled").asBoolean(), "a paused run can be resumed from its row");
        assertTrue(r.path("tokenInSessionStorage").asBoolean(), "the pasted token is kept for the tab");
        // the screenshot is kept
        BufferedImage png = ImageIO.read(screenshot.toFile());
        assertEquals(1400, png.getWidth(), "a full-page screenshot at the viewport's width");
    }

    /** Four finished runs of 50,000 steps (and an epoch summary per 2,000), as an outside producer would write them. */
    static List<String> publishFinishedRuns() throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrap());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        List<String> ids = new ArrayList<>();
        String batch = UUID.randomUUID().toString().substring(0, 8);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int k = 0; k < BIG_OPTIMIZERS.size(); k++) {
                String id = "dashboard-big-" + batch + "-" + BIG_OPTIMIZERS.get(k);
                ids.add(id);
                Random noise = new Random(k);
                double running = 0;
                for (int s = 1; s <= BIG_STEPS; s++) {
                    int epoch = (s - 1) / 2_000 + 1;
                    double loss = 2.3 * Math.exp(-s / (8_000.0 * (k + 1))) + 0.15 * noise.nextGaussian();
                    running += loss;
                    producer.send(new ProducerRecord<>(Topics.TRAINING_LOSS, id,
                            new StepLoss(id, epoch, s, loss, BIG_OPTIMIZERS.get(k), 0.01, 1, 900, System.currentTimeMillis()).toJson()));
                    if (s % 2_000 == 0) {
                        producer.send(new ProducerRecord<>(Topics.TRAINING_LOSS, id,
                                new EpochSummary(id, epoch, 2_000, running, running / 2_000, 900, System.currentTimeMillis()).toJson()));
                        running = 0;
                    }
                }
            }
            producer.flush();
        }
        return ids;
    }

    static void awaitMetricsHolds(String id, int points) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            var answer = pipeline.get(Pipeline.METRICS, "/api/runs/" + id + "/loss?maxPoints=2");
            last = answer.body();
            if (answer.statusCode() == 200 && last.contains("\"total\":" + points + ",")) return;
            Thread.sleep(200);
        }
        throw new AssertionError("the metrics service does not hold " + points + " points of " + id + ": " + last);
    }
}
