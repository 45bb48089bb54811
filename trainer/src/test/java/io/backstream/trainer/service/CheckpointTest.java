package io.backstream.trainer.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.backstream.events.RunSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CheckpointTest {
    private static final RunSpec SPEC = RunSpec.parse("{\"batchSize\":8,\"epochs\":2}");
    private static final Checkpoint CHECKPOINT = new Checkpoint("run-1", SPEC, 1_700_000_000_000L,
            new StepCounters(42, 2, 5, 8, 5, 11.5, 40, 123_456_789L), 3, 1_000L, new float[] {0.5f, -1.25f, 3f}, new byte[] {7, 8, 9});

    @Test
    void readsBackWhatItWrote() {
        Checkpoint back = Checkpoint.parse(CHECKPOINT.toBytes());
        assertEquals(CHECKPOINT.runId(), back.runId());
        assertEquals(CHECKPOINT.spec(), back.spec());
        assertEquals(CHECKPOINT.counters(), back.counters());
        assertEquals(1_000L, back.nextOffset());
        assertArrayEquals(CHECKPOINT.weights(), back.weights());
        assertArrayEquals(CHECKPOINT.optimizerState(), back.optimizerState());
    }

    @Test
    void itsHeadIsReadWithoutItsWeights() {
        assertEquals(new Checkpoint.Head("run-1", SPEC, 1_700_000_000_000L, 42), Checkpoint.head(CHECKPOINT.toBytes()));
    }

    @Test
    void aHeadThatIsNotACheckpointsIsRefusedNamingWhy() {
        byte[] bytes = CHECKPOINT.toBytes();
        bytes[0] = 'X';
        assertEquals("checkpoint: bad magic (not a Backstream checkpoint)",
                assertThrows(IllegalArgumentException.class, () -> Checkpoint.head(bytes)).getMessage());
        assertEquals("checkpoint: truncated",
                assertThrows(IllegalArgumentException.class, () -> Checkpoint.head(Arrays.copyOf(CHECKPOINT.toBytes(), 20))).getMessage());
    }

    @Test
    void aFlippedWeightBitIsCaughtByTheCrcWhenTheWholeIsRead() {
        byte[] bytes = CHECKPOINT.toBytes();
        bytes[bytes.length - 20] ^= 1;
        assertEquals(CHECKPOINT.step(), Checkpoint.head(bytes).step(), "the head does not check the CRC");
        assertEquals("checkpoint: CRC mismatch (corrupt record)",
                assertThrows(IllegalArgumentException.class, () -> Checkpoint.parse(bytes)).getMessage());
    }
}
