package io.backstream.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** evaluation.results, runs.control, runs.state and training.deadletter: exact JSON and round trips. */
class ServiceEventsJsonTest {

    private static final List<Double> PER_CLASS = List.of(0.5, 0.25, 0.0, 1.0, 0.125, 0.75, 0.5, 0.5, 0.375, 0.625);

    @Test
    void evaluationResultFieldNames() {
        var r = new EvaluationResult("run-1", 2000, 1, 0.242, 2.28, PER_CLASS, 500, 1_700_000_000_000L);
        assertEquals("{\"runId\":\"run-1\",\"step\":2000,\"epoch\":1,\"accuracy\":0.242,\"testLoss\":2.28,"
                + "\"perClassAccuracy\":[0.5,0.25,0.0,1.0,0.125,0.75,0.5,0.5,0.375,0.625],\"count\":500,"
                + "\"timestamp\":1700000000000}", r.toJson());
        assertEquals(r, EvaluationResult.parse(r.toJson()));
    }

    @Test
    void aClassTheTestSetLacksScoresNaN() {
        var withNaN = new java.util.ArrayList<>(PER_CLASS);
        withNaN.set(3, Double.NaN);
        var r = new EvaluationResult("run-1", 1, 1, 0.5, 1.0, withNaN, 9, 1);
        assertTrue(r.toJson().contains("[0.5,0.25,0.0,\"NaN\",0.125"), r.toJson());
        assertEquals(r, EvaluationResult.parse(r.toJson()));
    }

    @Test
    void perClassAccuracyHasOneEntryPerLabel() {
        String json = new EvaluationResult("r", 1, 1, 0.5, 1.0, PER_CLASS, 9, 1).toJson().replace("0.625]", "0.625,0.1]");
        var e = assertThrows(MalformedRecordException.class, () -> EvaluationResult.parse(json));
        assertEquals("EvaluationResult: perClassAccuracy: must have 10 entries (one per label), got 11", e.getMessage());
    }

    @Test
    void startCommandCarriesItsSpec() {
        var spec = new RunSpec(OptimizerSpec.of("adam"), 64, 2, 7L, "synthetic", 500L);
        var c = RunCommand.start("run-1", spec, 42);
        assertEquals("{\"type\":\"START\",\"runId\":\"run-1\",\"spec\":{\"optimizer\":{\"type\":\"adam\",\"lr\":null,"
                + "\"momentum\":null,\"dampening\":null,\"nesterov\":null,\"weightDecay\":null,\"betas\":null,\"eps\":null,"
                + "\"amsgrad\":null,\"alpha\":null,\"centered\":null},\"batchSize\":64,\"epochs\":2,\"shuffleSeed\":7,"
                + "\"dataset\":\"synthetic\",\"snapshotEvery\":500,\"onBadBatch\":null},\"timestamp\":42}", c.toJson());
        assertEquals(c, RunCommand.parse(c.toJson()));
    }

    @Test
    void otherCommandsHaveANullSpec() {
        for (RunCommand c : List.of(RunCommand.pause("r", 1), RunCommand.resume("r", 2), RunCommand.stop("r", 3))) {
            assertEquals("{\"type\":\"" + c.type() + "\",\"runId\":\"r\",\"spec\":null,\"timestamp\":" + c.timestamp() + "}", c.toJson());
            assertEquals(c, RunCommand.parse(c.toJson()));
        }
    }

    @Test
    void startWithoutSpecAndStopWithSpecAreRejected() {
        var e1 = assertThrows(MalformedRecordException.class,
                () -> RunCommand.parse("{\"type\":\"START\",\"runId\":\"r\",\"timestamp\":1}"));
        assertEquals("RunCommand: spec: required for START", e1.getMessage());
        var e2 = assertThrows(MalformedRecordException.class,
                () -> RunCommand.parse("{\"type\":\"STOP\",\"runId\":\"r\",\"spec\":{},\"timestamp\":1}"));
        assertEquals("RunCommand: spec: only START carries a spec, this is STOP", e2.getMessage());
    }

    @Test
    void anUnknownCommandNamesTheAcceptedOnes() {
        var e = assertThrows(MalformedRecordException.class,
                () -> RunCommand.parse("{\"type\":\"JUMP\",\"runId\":\"r\",\"timestamp\":1}"));
        assertEquals("RunCommand: type: expected one of START, PAUSE, RESUME, STOP, got the string \"JUMP\"", e.getMessage());
    }

    @Test
    void runStateFieldNames() {
        var s = new RunState("run-1", RunState.State.RUNNING, RunSpec.defaults(), 1, 120, 2.25, 810.0, null, 99);
        assertEquals("{\"runId\":\"run-1\",\"state\":\"RUNNING\",\"spec\":{\"optimizer\":null,\"batchSize\":null,"
                + "\"epochs\":null,\"shuffleSeed\":null,\"dataset\":null,\"snapshotEvery\":null,\"onBadBatch\":null},\"epoch\":1,\"step\":120,"
                + "\"lastLoss\":2.25,\"imagesPerSecond\":810.0,\"reason\":null,\"updatedAt\":99}", s.toJson());
        assertEquals(s, RunState.parse(s.toJson()));
    }

    @Test
    void aDivergedRunFailsWithAReasonAndANaNLoss() {
        var s = new RunState("r", RunState.State.FAILED, RunSpec.defaults(), 1, 7, Double.NaN, 0.0, "loss is NaN at step 7", 5);
        assertTrue(s.toJson().contains("\"lastLoss\":\"NaN\""), s.toJson());
        assertEquals(s, RunState.parse(s.toJson()));
        assertTrue(s.state().isFinal());
    }

    @Test
    void failedNeedsAReason() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new RunState("r", RunState.State.FAILED, null, 0, 0, null, 0.0, null, 5));
        assertEquals("reason: required when state is FAILED", e.getMessage());
    }

    @Test
    void deadLetterFieldNames() {
        var d = new DeadLetter("CRC mismatch: stored 0x00000000, computed 0x12345678 (record corrupted)",
                Topics.TRAINING_BATCHES, 3, 42, "run-1", 1_700_000_000_000L);
        assertEquals("{\"reason\":\"CRC mismatch: stored 0x00000000, computed 0x12345678 (record corrupted)\","
                + "\"sourceTopic\":\"training.batches\",\"partition\":3,\"offset\":42,\"key\":\"run-1\","
                + "\"timestamp\":1700000000000}", d.toJson());
        assertEquals(d, DeadLetter.parse(d.toJson()));
    }

    @Test
    void runProgressCarriesTheNextOffsetAndTheDeadLetterCount() {
        var p = new RunProgress("run-1", 120, 1, 119, 2000, 100, 1_700_000_000_000L, 4711L, 2L);
        assertEquals("{\"runId\":\"run-1\",\"step\":120,\"epoch\":1,\"index\":119,\"batches\":2000,\"checkpointStep\":100,"
                + "\"timestamp\":1700000000000,\"nextOffset\":4711,\"deadLetters\":2}", p.toJson());
        assertEquals(p, RunProgress.parse(p.toJson()));
        assertEquals(2, p.deadLetterCount());
    }

    @Test
    void aRunProgressWrittenBeforeNextOffsetAndDeadLettersReadsWithNeither() {
        var p = RunProgress.parse("{\"runId\":\"run-1\",\"step\":120,\"epoch\":1,\"index\":119,\"batches\":2000,"
                + "\"checkpointStep\":100,\"timestamp\":1700000000000}");
        assertEquals(null, p.nextOffset());
        assertEquals(0, p.deadLetterCount());
    }

    @Test
    void aKeylessRecordDeadLettersWithANullKey() {
        var d = new DeadLetter("wrong magic", Topics.TRAINING_BATCHES, 0, 0, null, 1);
        assertEquals(d, DeadLetter.parse(d.toJson()));
    }

    @Test
    void jsonNullEmptyInputAndTrailingTextAreRejected() {
        assertEquals("DeadLetter: expected a JSON object, got null",
                assertThrows(MalformedRecordException.class, () -> DeadLetter.parse("null")).getMessage());
        assertEquals("DeadLetter: empty input, expected a JSON object",
                assertThrows(MalformedRecordException.class, () -> DeadLetter.parse(" ")).getMessage());
        String trailing = new DeadLetter("x", "t", 0, 0, null, 1).toJson() + " {}";
        var e = assertThrows(MalformedRecordException.class, () -> DeadLetter.parse(trailing));
        assertTrue(e.getMessage().startsWith("DeadLetter: "), e.getMessage());
        assertEquals("DeadLetter: trailing text after the JSON value at line 1, column " + (trailing.length() - 1), e.getMessage());
    }

    @Test
    void everyTopicIsListedOnce() {
        assertEquals(10, Topics.ALL.size());
        assertEquals(10, Topics.ALL.stream().distinct().count());
        assertEquals(List.of("training.loss", "evaluation.results", "training.batches", "dataset.testset",
                "model.snapshots", "runs.control", "runs.state", "runs.progress", "runs.checkpoints", "training.deadletter"), Topics.ALL);
    }
}
