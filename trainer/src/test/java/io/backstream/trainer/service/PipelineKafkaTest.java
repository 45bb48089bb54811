package io.backstream.trainer.service;

import static io.backstream.trainer.service.TestAuth.asOperator;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.events.Batch;
import io.backstream.events.BatchCodec;
import io.backstream.events.DeadLetter;
import io.backstream.events.EpochSummary;
import io.backstream.events.LossTopicEvent;
import io.backstream.events.RunCommand;
import io.backstream.events.RunState;
import io.backstream.events.SnapshotMetadata;
import io.backstream.events.StepLoss;
import io.backstream.events.Topics;
import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.nn.TutorialCnn;
import io.backstream.trainer.onnx.OnnxImport;
import io.backstream.trainer.optim.OptimizerConfig;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trainer against the real broker, with this test in the data-loader's place: it produces the
 * batches of a run onto training.batches and reads what the trainer publishes.
 */
@QuarkusTest
class PipelineKafkaTest {
    private static final Duration WAIT = TrainerApi.WAIT;
    private static BatchTopic batchTopic;

    @BeforeAll
    static void openBatchTopic() {
        batchTopic = new BatchTopic();
    }

    @AfterAll
    static void closeBatchTopic() {
        batchTopic.close();
    }

    @Test
    void trainsProducedBatchesLikeTheEngineAndPublishesEverything() throws Exception {
        long since = System.currentTimeMillis() - 1000;
        String spec = "{\"optimizer\":{\"type\":\"sgd\",\"lr\":0.01,\"momentum\":0.9},\"batchSize\":8,\"epochs\":2,\"snapshotEvery\":4,"
                + "\"onBadBatch\":\"skip\"}";
        String id = TrainerApi.create(spec);
        List<Batch> batches = GoldenBatches.of(id, 2, 3, 8);
        try (TopicReader loss = new TopicReader(Topics.TRAINING_LOSS, id, since);
             TopicReader snapshots = new TopicReader(Topics.MODEL_SNAPSHOTS, id, since);
             TopicReader states = new TopicReader(Topics.RUNS_STATE, id, since);
             TopicReader control = new TopicReader(Topics.RUNS_CONTROL, id, since);
             TopicReader dead = new TopicReader(Topics.TRAINING_DEADLETTER, id, since)) {
            batchTopic.send(id, BatchCodec.encode(batches.get(0)));
            RecordMetadata malformed = batchTopic.send(id, "not a batch".getBytes(StandardCharsets.UTF_8));
            batchTopic.send(id, BatchCodec.encode(batches.get(0))); // a duplicate: skipped
            for (Batch b : batches.subList(1, batches.size())) batchTopic.send(id, BatchCodec.encode(b));

            assertEquals("COMPLETED", TrainerApi.awaitState(id, "COMPLETED"));
            List<ConsumerRecord<String, byte[]>> records = loss.until(r -> r.size() >= 8, WAIT);
            List<LossTopicEvent> events = LossRecords.events(records);
            List<LossTopicEvent> all = LossRecords.events(loss.settle(Duration.ofSeconds(1)));
            assertEquals(8, all.size(), "6 steps + 2 epoch summaries, nothing else: " + all);

            // one StepLoss per step 1..6, no gap, no duplicate, in order, with the engine's own losses
            List<StepLoss> steps = LossRecords.steps(records);
            assertEquals(6, steps.size());
            Engine.Trained engine = Engine.train(new OptimizerConfig("sgd", 0.01, 0.9, null, null, null, null, null, null, null, null, null),
                    8, batches);
            double[] expected = engine.losses();
            for (int i = 0; i < 6; i++) {
                StepLoss s = steps.get(i);
                assertEquals(i + 1, s.step());
                assertEquals(i < 3 ? 1 : 2, s.epoch());
                assertEquals(expected[i], s.loss(), 0.0, "step " + (i + 1));
                assertEquals("sgd", s.optimizer());
                assertEquals(0.01, s.lr(), 0.0);
                assertEquals(8, s.batchSize());
                assertTrue(s.imagesPerSecond() > 0);
            }
            List<EpochSummary> epochs = events.stream().filter(e -> e instanceof EpochSummary).map(e -> (EpochSummary) e).toList();
            assertEquals(2, epochs.size());
            for (int e = 0; e < 2; e++) {
                EpochSummary summary = epochs.get(e);
                assertEquals(e + 1, summary.epoch());
                assertEquals(3, summary.steps());
                double sum = steps.get(3 * e).loss() + steps.get(3 * e + 1).loss() + steps.get(3 * e + 2).loss();
                assertEquals(sum, summary.runningLoss(), 0.0);
            }
            assertTrue(events.indexOf(epochs.get(0)) == 3 && events.indexOf(epochs.get(1)) == 7, "summaries follow their epoch's last step");

            // snapshots at step 3 (epoch end), 4 (every 4), 6 (epoch end); the last one holds the engine's final weights
            List<ConsumerRecord<String, byte[]>> snaps = snapshots.until(r -> r.size() >= 3, WAIT);
            assertEquals(List.of(3L, 4L, 6L), snaps.stream().map(r -> SnapshotMetadata.fromHeaders(h -> last(r, h)).step()).toList());
            ConsumerRecord<String, byte[]> final6 = snaps.get(2);
            assertEquals(new SnapshotMetadata(id, 6, 2), SnapshotMetadata.fromHeaders(h -> last(final6, h)));
            assertEquals("synthetic", new String(last(final6, "dataset"), StandardCharsets.UTF_8));
            Sequential imported = TutorialCnn.create(5);
            OnnxImport.load(final6.value(), imported.toOnnx(), imported.parameters());
            assertArrayEquals(engine.weights(), imported.parameters().values().toFloatVector());

            // states PENDING → RUNNING → COMPLETED; START carries the spec with its defaults filled in
            List<RunState.State> seen = states.until(r -> r.size() >= 3, WAIT).stream()
                    .map(r -> RunState.parse(new String(r.value(), StandardCharsets.UTF_8)).state()).toList();
            assertEquals(List.of(RunState.State.PENDING, RunState.State.RUNNING, RunState.State.COMPLETED), seen);
            RunCommand start = RunCommand.parse(new String(control.until(r -> !r.isEmpty(), WAIT).get(0).value(), StandardCharsets.UTF_8));
            assertEquals(RunCommand.Type.START, start.type());
            assertEquals(8, start.spec().batchSize());
            assertEquals("synthetic", start.spec().dataset());

            // the malformed record went to the dead letters, saying why and where from
            DeadLetter letter = DeadLetter.parse(new String(dead.until(r -> !r.isEmpty(), WAIT).get(0).value(), StandardCharsets.UTF_8));
            assertEquals(Topics.TRAINING_BATCHES, letter.sourceTopic());
            assertEquals(malformed.partition(), letter.partition());
            assertEquals(malformed.offset(), letter.offset());
            assertTrue(letter.reason().contains("wrong magic"), letter.reason());
        }
        asOperator().when().post("/api/runs/" + id + "/pause").then().statusCode(409);
    }

    @Test
    void aPausedRunWaitsWithoutHoldingUpAnother() throws Exception {
        String paused = TrainerApi.create("{\"batchSize\":8,\"epochs\":1}");
        asOperator().when().post("/api/runs/" + paused + "/pause").then().statusCode(200);
        for (Batch b : GoldenBatches.of(paused, 1, 2, 8)) batchTopic.send(paused, BatchCodec.encode(b));
        String other = TrainerApi.create("{\"batchSize\":8,\"epochs\":1}");
        for (Batch b : GoldenBatches.of(other, 1, 2, 8)) batchTopic.send(other, BatchCodec.encode(b));
        assertEquals("COMPLETED", TrainerApi.awaitState(other, "COMPLETED"));
        Thread.sleep(300);
        assertEquals("PAUSED", TrainerApi.state(paused));
        given().when().get("/api/runs/" + paused).then().body("step", org.hamcrest.Matchers.equalTo(0));
        asOperator().when().post("/api/runs/" + paused + "/resume").then().statusCode(200);
        assertEquals("COMPLETED", TrainerApi.awaitState(paused, "COMPLETED"));
        given().when().get("/api/runs/" + paused).then().body("step", org.hamcrest.Matchers.equalTo(2));
    }

    @Test
    void aTrainingRunExportsItsInputLagWhileItTrainsAndNotAfter() throws Exception {
        String id = TrainerApi.create("{\"batchSize\":8,\"epochs\":1}");
        List<Batch> batches = GoldenBatches.of(id, 1, 3, 8);
        batchTopic.send(id, BatchCodec.encode(batches.get(0)));
        java.util.regex.Pattern series = java.util.regex.Pattern.compile(
                "(?m)^backstream_trainer_input_lag\\{run=\"" + java.util.regex.Pattern.quote(id) + "\",?} (\\S+)$");
        long deadline = System.nanoTime() + WAIT.toNanos();
        double lag = -1;
        while (lag < 0 && System.nanoTime() < deadline) { // -1 until the run's consumer has fetched
            java.util.regex.Matcher m = series.matcher(given().when().get("/q/metrics").asString());
            if (m.find()) lag = Double.parseDouble(m.group(1));
            else Thread.sleep(50);
        }
        assertEquals(0.0, lag, "the one batch sent was read: nothing waits on the partition for this run's consumer");

        for (Batch b : batches.subList(1, 3)) batchTopic.send(id, BatchCodec.encode(b));
        assertEquals("COMPLETED", TrainerApi.awaitState(id, "COMPLETED"));
        deadline = System.nanoTime() + WAIT.toNanos();
        while (series.matcher(given().when().get("/q/metrics").asString()).find() && System.nanoTime() < deadline) Thread.sleep(50);
        assertFalse(series.matcher(given().when().get("/q/metrics").asString()).find(), "an ended run's gauge is removed");
    }

    private static byte[] last(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : h.value();
    }

}
