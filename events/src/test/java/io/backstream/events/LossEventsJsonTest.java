package io.backstream.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The training.loss topic: step and epoch events, their exact JSON, and telling them apart. */
class LossEventsJsonTest {

    private static final StepLoss STEP = new StepLoss("run-1", 2, 2001, 2.25, "sgd", 0.001, 4, 812.5, 1_700_000_000_000L);
    private static final EpochSummary EPOCH = new EpochSummary("run-1", 1, 2000, 4585.5, 2.29275, 727.0, 1_700_000_000_001L);

    @Test
    void stepLossIsWrittenWithTypeFirstAndTheContractsFieldNames() {
        assertEquals("{\"type\":\"step\",\"runId\":\"run-1\",\"epoch\":2,\"step\":2001,\"loss\":2.25,\"optimizer\":\"sgd\","
                + "\"lr\":0.001,\"batchSize\":4,\"imagesPerSecond\":812.5,\"timestamp\":1700000000000}", STEP.toJson());
    }

    @Test
    void epochSummaryIsWrittenWithTypeFirstAndTheContractsFieldNames() {
        assertEquals("{\"type\":\"epoch\",\"runId\":\"run-1\",\"epoch\":1,\"steps\":2000,\"runningLoss\":4585.5,"
                + "\"meanLoss\":2.29275,\"imagesPerSecond\":727.0,\"timestamp\":1700000000001}", EPOCH.toJson());
    }

    @Test
    void bothReadBackEqual() {
        assertEquals(STEP, StepLoss.parse(STEP.toJson()));
        assertEquals(EPOCH, EpochSummary.parse(EPOCH.toJson()));
    }

    @Test
    void lossTopicEventDispatchesOnType() {
        LossTopicEvent step = LossTopicEvent.parse(STEP.toJson());
        LossTopicEvent epoch = LossTopicEvent.parse(EPOCH.toJson());
        assertEquals(STEP, assertInstanceOf(StepLoss.class, step));
        assertEquals(EPOCH, assertInstanceOf(EpochSummary.class, epoch));
        assertEquals("step", step.type());
        assertEquals("epoch", epoch.type());
    }

    @Test
    void typeNeedNotComeFirstForOtherProducers() {
        String json = "{\"runId\":\"r\",\"epoch\":1,\"steps\":3,\"runningLoss\":6.0,\"meanLoss\":2.0,"
                + "\"imagesPerSecond\":1.0,\"timestamp\":5,\"type\":\"epoch\"}";
        assertEquals(new EpochSummary("r", 1, 3, 6.0, 2.0, 1.0, 5), LossTopicEvent.parse(json));
    }

    @Test
    void anUnknownTypeIsAClearError() {
        String json = STEP.toJson().replace("\"type\":\"step\"", "\"type\":\"batch\"");
        var e = assertThrows(MalformedRecordException.class, () -> LossTopicEvent.parse(json));
        assertEquals("LossTopicEvent: unknown type \"batch\" (expected \"step\", \"epoch\")", e.getMessage());
    }

    @Test
    void aMissingTypeIsAClearError() {
        String json = STEP.toJson().replace("\"type\":\"step\",", "");
        var e = assertThrows(MalformedRecordException.class, () -> LossTopicEvent.parse(json));
        assertEquals("LossTopicEvent: missing (expected \"step\", \"epoch\")", e.getMessage());
    }

    @Test
    void anEpochSummaryIsNotAStepLoss() {
        var e = assertThrows(MalformedRecordException.class, () -> StepLoss.parse(EPOCH.toJson()));
        assertTrue(e.getMessage().startsWith("StepLoss: unknown type \"epoch\""), e.getMessage());
    }

    @Test
    void aNaNLossIsWrittenAsAStringAndReadsBackAsNaN() {
        var diverged = new StepLoss("run-1", 1, 7, Double.NaN, "adam", 10.0, 1, 0.0, 3);
        String json = diverged.toJson();
        assertTrue(json.contains("\"loss\":\"NaN\""), json);
        assertEquals(diverged, LossTopicEvent.parse(json));   // records compare doubles with Double.compare: NaN == NaN
    }

    @Test
    void infinitiesKeepTheirSign() {
        var up = new EpochSummary("r", 1, 1, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.0, 1);
        String json = up.toJson();
        assertTrue(json.contains("\"runningLoss\":\"Infinity\",\"meanLoss\":\"-Infinity\""), json);
        assertEquals(up, EpochSummary.parse(json));
    }

    @Test
    void pythonsBareNaNTokenIsReadToo() {
        // json.dumps(float("nan")) writes NaN unquoted; a Python producer must not be rejected for it
        String json = STEP.toJson().replace("\"loss\":2.25", "\"loss\":NaN");
        assertTrue(Double.isNaN(((StepLoss) LossTopicEvent.parse(json)).loss()));
    }

    @Test
    void aFieldAddedByANewerProducerIsIgnored() {
        String json = STEP.toJson().replace("\"loss\":2.25", "\"loss\":2.25,\"gradNorm\":0.5");
        assertEquals(STEP, StepLoss.parse(json));
    }

    @Test
    void aMissingNumberIsAnErrorNotAZero() {
        String json = STEP.toJson().replace("\"loss\":2.25,", "");
        var e = assertThrows(MalformedRecordException.class, () -> StepLoss.parse(json));
        assertEquals("StepLoss: loss: required, missing or null", e.getMessage());
    }

    @Test
    void aMissingRunIdIsAnError() {
        String json = STEP.toJson().replace("\"runId\":\"run-1\",", "");
        var e = assertThrows(MalformedRecordException.class, () -> StepLoss.parse(json));
        assertEquals("StepLoss: runId: required, missing or empty", e.getMessage());
    }

    @Test
    void aQuotedNumberIsAnError() {
        String json = STEP.toJson().replace("\"batchSize\":4", "\"batchSize\":\"4\"");
        var e = assertThrows(MalformedRecordException.class, () -> StepLoss.parse(json));
        assertEquals("StepLoss: batchSize: expected an integer, got the string \"4\"", e.getMessage());
    }
}
