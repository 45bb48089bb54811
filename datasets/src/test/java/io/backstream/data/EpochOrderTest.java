package io.backstream.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The order in which an epoch visits the records: file order, or a shuffle fixed by (seed, epoch). */
class EpochOrderTest {
    private static final int SIZE = 1000;

    private static final int[] IDENTITY = IntStream.range(0, SIZE).toArray();

    @Test
    void fileOrderVisitsEveryRecordInFileOrderEveryEpoch() {
        EpochOrder order = EpochOrder.fileOrder();
        assertFalse(order.isShuffled());
        for (int epoch = 1; epoch <= 3; epoch++) assertArrayEquals(IDENTITY, order.indices(epoch, SIZE), "epoch " + epoch);
        assertArrayEquals(new int[0], order.indices(1, 0), "an empty dataset has an empty order");
    }

    @Test
    void aShuffledEpochIsAPermutationOfAllRecords() {
        EpochOrder order = EpochOrder.shuffled(42);
        assertTrue(order.isShuffled());
        for (int epoch = 1; epoch <= 3; epoch++) {
            int[] indices = order.indices(epoch, SIZE);
            assertEquals(SIZE, indices.length);
            int[] sorted = indices.clone();
            Arrays.sort(sorted);
            assertArrayEquals(IDENTITY, sorted, "epoch " + epoch + " visits each record exactly once");
            assertFalse(Arrays.equals(IDENTITY, indices), "epoch " + epoch + " is actually shuffled");
        }
    }

    @Test
    void theSameSeedAndEpochGiveTheSamePermutation() {
        // a fresh EpochOrder (as after a restart) recomputes any epoch without replaying earlier ones
        int[] third = EpochOrder.shuffled(7).indices(3, SIZE);
        EpochOrder again = EpochOrder.shuffled(7);
        assertArrayEquals(third, again.indices(3, SIZE));
        again.indices(1, SIZE);
        assertArrayEquals(third, again.indices(3, SIZE), "asking for other epochs in between changes nothing");
    }

    @Test
    void permutationsDifferAcrossEpochsAndSeeds() {
        EpochOrder seven = EpochOrder.shuffled(7);
        assertFalse(Arrays.equals(seven.indices(1, SIZE), seven.indices(2, SIZE)), "epochs 1 and 2 of seed 7");
        assertFalse(Arrays.equals(seven.indices(2, SIZE), seven.indices(3, SIZE)), "epochs 2 and 3 of seed 7");
        assertFalse(Arrays.equals(seven.indices(1, SIZE), EpochOrder.shuffled(8).indices(1, SIZE)), "seeds 7 and 8, epoch 1");
        assertFalse(Arrays.equals(EpochOrder.shuffled(0).indices(1, SIZE), EpochOrder.shuffled(1).indices(1, SIZE)),
                "seeds 0 and 1, epoch 1");
    }

    @Test
    void describesItself() {
        assertEquals("file order", EpochOrder.fileOrder().toString());
        assertEquals("shuffled (seed 5)", EpochOrder.shuffled(5).toString());
    }
}
