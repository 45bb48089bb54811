package io.backstream.trainer.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.events.Batch;
import io.backstream.events.BatchCodec;
import io.backstream.events.RunState;
import io.backstream.events.StepLoss;
import io.backstream.events.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run whose loss turns NaN or infinite FAILS before that step is applied, with a reason naming
 * the step, published as its state; its non-finite loss is never published; the last good
 * checkpoint stays on runs.checkpoints and is what model.onnx serves. Two learning rates: 1e30 breaks
 * the loss while the weights are still finite (huge): they become the final checkpoint; 1e300 (∞ in
 * float32) makes the weights themselves non-finite in the step before: the previous checkpoint (the
 * run's first, at step 0) stays the last good one.
 */
@QuarkusTest
class DivergingRunTest {
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final Pattern REASON = Pattern.compile(
            "training diverged: loss is (NaN|Infinity|-Infinity) at epoch (\\d+), step (\\d+) \\(the step was not applied; try a smaller learning rate\\)");
    private static BatchTopic batchTopic;

    @BeforeAll
    static void openBatchTopic() {
        batchTopic = new BatchTopic();
    }

    @AfterAll
    static void closeBatchTopic() {
        batchTopic.close();
    }

    @ParameterizedTest(name = "SGD lr {0}: FAILED naming the step, no non-finite loss published, the last good checkpoint served")
    @ValueSource(doubles = {1e30, 1e300})
    void aDivergingRunFailsKeepingItsLastGoodCheckpoint(double lr) throws Exception {
        long since = System.currentTimeMillis() - 1000;
        String id = TrainerApi.create("{\"optimizer\":{\"type\":\"sgd\",\"lr\":" + lr + "},\"batchSize\":8,\"epochs\":4}");
        try (TopicReader loss = new TopicReader(Topics.TRAINING_LOSS, id, since);
             TopicReader states = new TopicReader(Topics.RUNS_STATE, id, since);
             TopicReader checkpoints = new TopicReader(Topics.RUNS_CHECKPOINTS, id, since)) {
            for (Batch b : GoldenBatches.of(id, 4, 3, 8)) batchTopic.send(id, BatchCodec.encode(b));
            assertEquals("FAILED", TrainerApi.awaitState(id, "FAILED"));

            List<StepLoss> steps = LossRecords.steps(loss.settle(QUIET));
            assertFalse(steps.isEmpty(), "the first step is finite");
            assertTrue(steps.stream().allMatch(s -> Double.isFinite(s.loss())), steps.toString());
            long lastGood = steps.get(steps.size() - 1).step();

            JsonPath run = TrainerApi.view(id);
            Matcher reason = REASON.matcher(run.getString("reason"));
            assertTrue(reason.matches(), run.getString("reason"));
            assertEquals(lastGood + 1, Long.parseLong(reason.group(3)), "the reason names the step that diverged");
            assertEquals(lastGood, run.getLong("step"));
            RunState published = RunState.parse(utf8(states.until(r -> r.stream().anyMatch(s -> utf8(s).contains("FAILED")), TrainerApi.WAIT)
                    .stream().filter(s -> utf8(s).contains("FAILED")).findFirst().orElseThrow()));
            assertEquals(run.getString("reason"), published.reason(), "the FAILED state on runs.state carries the reason");

            List<ConsumerRecord<String, byte[]>> cks = checkpoints.settle(QUIET);
            Checkpoint latest = Checkpoint.parse(cks.get(cks.size() - 1).value());
            for (float w : latest.weights()) assertTrue(Float.isFinite(w), "the latest checkpoint holds finite weights");
            // 1e30: the weights after the last good step are finite, and become the checkpoint; 1e300: they are not, the previous one stays
            assertEquals(lr == 1e30 ? lastGood : 0, latest.step(), "the step of the last good checkpoint");
            assertArrayEquals(latest.weights(), TrainerApi.weights(id), "model.onnx serves the last good checkpoint");
        }
    }

    private static String utf8(ConsumerRecord<String, byte[]> r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }
}
