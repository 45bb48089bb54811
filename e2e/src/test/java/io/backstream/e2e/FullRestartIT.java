package io.backstream.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backstream.events.LossTopicEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A run's state survives a full restart of every process: with one run finished, one paused and one
 * training, the four services and the broker are SIGKILLed at once (a power cut) and started again.
 * The run list, states, step counters and the finished run's model come back from Kafka; the paused
 * run resumes and the interrupted one carries on, and both end bit-identical to the finished run of
 * the same spec, with every step once in their committed loss logs.
 */
class FullRestartIT {
    static final String SPEC = "{\"optimizer\":{\"type\":\"sgd\",\"lr\":0.001,\"momentum\":0.9},\"batchSize\":4,"
            + "\"epochs\":2,\"shuffleSeed\":7,\"dataset\":\"synthetic\",\"snapshotEvery\":1000000}";
    static final int EPOCHS = 2;
    static final int STEPS = EPOCHS * (2000 / 4);
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
    /** What must come back as it was (not timings: imagesPerSecond and updatedAt are the last step's). */
    static final Set<String> RESTORED = Set.of("id", "state", "epoch", "step", "lastLoss", "reason", "spec", "deadLetters");
    @RegisterExtension
    static final Pipeline pipeline = new Pipeline();

    @Test
    void runsFinishedPausedAndTrainingComeBackAfterEveryProcessIsKilledAtOnceAndEndBitIdentical() throws Exception {
        String finished = pipeline.startRun(SPEC);
        pipeline.awaitState(finished, RUN_TIMEOUT, "COMPLETED");
        byte[] finishedModel = pipeline.model(finished);

        String paused = pipeline.startRun(SPEC);
        pipeline.awaitStep(paused, STEPS / 10, RUN_TIMEOUT);
        assertEquals(200, pipeline.post(Pipeline.TRAINER, "/api/runs/" + paused + "/pause", null).statusCode());
        pipeline.awaitState(paused, Duration.ofSeconds(30), "PAUSED");

        String training = pipeline.startRun(SPEC);
        pipeline.awaitStep(training, STEPS / 3, RUN_TIMEOUT);
        Map<String, JsonNode> before = runs();
        System.out.println("killing every process, " + training + " at step " + before.get(training).path("step"));
        pipeline.killEverything();

        pipeline.start();
        Map<String, JsonNode> after = runs();
        assertEquals(before.keySet(), after.keySet(), "the run list");
        for (String id : List.of(finished, paused)) assertEquals(restored(before.get(id)), restored(after.get(id)), "run " + id);
        assertFalse(List.of("STOPPED", "COMPLETED", "FAILED").contains(after.get(training).path("state").asText()),
                "the interrupted run trains on: " + after.get(training));
        assertArrayEquals(finishedModel, pipeline.model(finished), "the finished run's model.onnx");

        assertEquals(200, pipeline.post(Pipeline.TRAINER, "/api/runs/" + paused + "/resume", null).statusCode());
        for (String id : List.of(paused, training)) {
            pipeline.awaitState(id, RUN_TIMEOUT, "COMPLETED");
            assertArrayEquals(finishedModel, pipeline.model(id), "final weights of " + id + " differ from the uninterrupted run's");
        }
        List<LossLog.Step> reference = LossLog.steps(LossLog.read(pipeline.bootstrap(), finished, STEPS, EPOCHS));
        for (String id : List.of(paused, training)) {
            List<LossTopicEvent> log = LossLog.read(pipeline.bootstrap(), id, STEPS, EPOCHS);
            assertEquals(reference, LossLog.steps(log), "the committed loss log of " + id + ": every step once, with the same loss");
            assertEquals(EPOCHS, LossLog.epochs(log).size(), "epoch summaries of " + id);
        }
    }

    /** GET /api/runs by id. */
    private static Map<String, JsonNode> runs() throws Exception {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (JsonNode run : pipeline.runs()) byId.put(run.path("id").asText(), run);
        return byId;
    }

    private static JsonNode restored(JsonNode view) {
        ObjectNode kept = ((ObjectNode) view).deepCopy();
        kept.retain(RESTORED);
        return kept;
    }
}
