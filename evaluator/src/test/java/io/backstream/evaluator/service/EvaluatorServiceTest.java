package io.backstream.evaluator.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.evaluator.OnnxScorer;
import io.backstream.evaluator.Score;
import io.backstream.events.Batch;
import io.backstream.events.BatchCodec;
import io.backstream.events.DeadLetter;
import io.backstream.events.EvaluationResult;
import io.backstream.events.SnapshotMetadata;
import io.backstream.events.Topics;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The evaluator against the real broker: golden 96 images as a test set, the golden model as a snapshot. */
@QuarkusTest
class EvaluatorServiceTest {

    static final Path GOLDEN = Path.of(System.getProperty("backstream.reference", "/work/shared/reference")).resolve("golden");
    static final Duration WAIT = Duration.ofSeconds(60);

    static TestSet golden;
    static byte[] model;
    static KafkaTestClient kafka;

    /** The service's consumers have their partitions: what the tests send from now on reaches them. */
    @BeforeEach
    void consumersReady() throws Exception {
        var config = ConfigProvider.getConfig();
        for (String channel : List.of("testset", "snapshots")) {
            KafkaTestClient.awaitAssigned(config.getValue("mp.messaging.incoming." + channel + ".group.id", String.class), WAIT);
        }
    }

    static double waiting() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        var m = java.util.regex.Pattern.compile("(?m)^backstream_evaluator_snapshots_waiting(\\{[^}]*\\})? (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(2)) : Double.NaN;
    }

    @BeforeAll
    static void load() throws Exception {
        golden = ScoringBench.images(GOLDEN.resolve("golden_train_96.bin"), 96);
        model = Files.readAllBytes(GOLDEN.resolve("model_init.onnx"));
        kafka = new KafkaTestClient();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The golden 96 images as chunks of 40, 40 and 16 under a fresh dataset id. */
    static List<Batch> chunks(String datasetId) {
        int[] starts = {0, 40, 80, 96};
        Batch[] out = new Batch[3];
        for (int i = 0; i < 3; i++) {
            int from = starts[i], to = starts[i + 1];
            out[i] = Batch.testSetChunk(datasetId, i, 3, from, Arrays.copyOfRange(golden.labels(), from, to),
                    Arrays.copyOfRange(golden.pixels(), from * 3072, to * 3072));
        }
        return List.of(out);
    }

    void sendChunk(Batch chunk) throws Exception {
        kafka.send(Topics.DATASET_TESTSET, chunk.runId(), BatchCodec.encode(chunk), Map.of());
    }

    void sendSnapshot(String runId, long step, String dataset, byte[] onnx) throws Exception {
        Map<String, byte[]> headers = new HashMap<>(new SnapshotMetadata(runId, step, 1).toHeaders());
        headers.put(Snapshots.DATASET, dataset.getBytes(StandardCharsets.UTF_8));
        kafka.send(Topics.MODEL_SNAPSHOTS, runId, onnx, headers);
    }

    @Test
    @DisplayName("a snapshot waits for its test set, then scores like OnnxScorer; a later one scores at once; duplicates ignored")
    void scoresSnapshots() throws Exception {
        String run = unique("run-evaltest");
        String dataset = unique("golden96");
        List<Batch> chunks = chunks(dataset);
        Score expected;
        try (OnnxScorer scorer = new OnnxScorer(model, 2)) {
            expected = scorer.score(golden.pixels(), golden.labels());
        }
        try (KafkaTestClient.Tail results = KafkaTestClient.tail(Topics.EVALUATION_RESULTS)) {
            sendChunk(chunks.get(1));
            sendChunk(chunks.get(0));
            sendChunk(chunks.get(0));                    // duplicate
            sendSnapshot(run, 1, dataset, model);        // test set incomplete: waits
            long until = System.nanoTime() + WAIT.toNanos();
            while (!(waiting() >= 1) && System.nanoTime() < until) Thread.sleep(100);
            sendChunk(chunks.get(2));                    // completes it: step 1 is scored
            List<ConsumerRecord<String, String>> first = results.await(r -> run.equals(r.key()), 1, WAIT);
            assertEquals(1, first.size(), "the waiting snapshot was scored once its test set was complete");
            sendSnapshot(run, 2, dataset, model);        // test set complete: scored at once
            List<ConsumerRecord<String, String>> second = results.await(r -> run.equals(r.key()), 1, WAIT);
            assertEquals(1, second.size(), "a snapshot for a complete test set is scored");

            EvaluationResult a = EvaluationResult.parse(first.get(0).value());
            EvaluationResult b = EvaluationResult.parse(second.get(0).value());
            assertEquals(1, a.step());
            assertEquals(2, b.step());
            for (EvaluationResult r : List.of(a, b)) {
                assertEquals(run, r.runId());
                assertEquals(1, r.epoch());
                assertEquals(96, r.count());
                assertEquals(expected.accuracy(), r.accuracy(), 1e-12);
                assertEquals(expected.loss(), r.testLoss(), 1e-9);
                for (int k = 0; k < 10; k++) {
                    assertEquals(expected.perClassAccuracy()[k], r.perClassAccuracy().get(k), 1e-12, "class " + k);
                }
            }
        }
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("backstream_evaluator_snapshots_scored_total"))
                .body(containsString("backstream_evaluator_scoring_seconds_count"));
    }

    @Test
    @DisplayName("a corrupt ONNX snapshot and a malformed chunk become dead letters with the reason; the service goes on")
    void deadLetters() throws Exception {
        String run = unique("run-evalbad");
        String dataset = unique("golden96");
        String badDataset = unique("garbage");
        try (KafkaTestClient.Tail dead = KafkaTestClient.tail(Topics.TRAINING_DEADLETTER);
             KafkaTestClient.Tail results = KafkaTestClient.tail(Topics.EVALUATION_RESULTS)) {
            for (Batch c : chunks(dataset)) sendChunk(c);
            kafka.send(Topics.DATASET_TESTSET, badDataset, "not a batch".getBytes(StandardCharsets.UTF_8), Map.of());
            byte[] corrupt = Arrays.copyOf(model, model.length / 2);
            sendSnapshot(run, 7, dataset, corrupt);
            sendSnapshot(run, 8, dataset, model);        // the next good one still scores

            List<ConsumerRecord<String, String>> letters =
                    dead.await(r -> run.equals(r.key()) || badDataset.equals(r.key()), 2, WAIT);
            assertEquals(2, letters.size(), "two dead letters: " + letters);
            DeadLetter onnx = letters.stream().map(r -> DeadLetter.parse(r.value()))
                    .filter(d -> run.equals(d.key())).findFirst().orElseThrow();
            assertEquals(Topics.MODEL_SNAPSHOTS, onnx.sourceTopic());
            assertTrue(onnx.reason().startsWith("cannot load the ONNX model of run " + run + " step 7"), onnx.reason());
            DeadLetter chunk = letters.stream().map(r -> DeadLetter.parse(r.value()))
                    .filter(d -> badDataset.equals(d.key())).findFirst().orElseThrow();
            assertEquals(Topics.DATASET_TESTSET, chunk.sourceTopic());
            assertTrue(chunk.reason().startsWith("wrong magic"), chunk.reason());

            List<ConsumerRecord<String, String>> ok = results.await(r -> run.equals(r.key()), 1, WAIT);
            assertEquals(1, ok.size());
            assertEquals(8, EvaluationResult.parse(ok.get(0).value()).step());
        }
    }
}
