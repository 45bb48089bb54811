package io.backstream.data.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.backstream.data.CifarDataset;
import io.backstream.data.EpochOrder;
import io.backstream.data.Syncifar;
import io.backstream.events.Batch;
import io.backstream.events.BatchCodec;
import io.backstream.events.Cifar10;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochBatchesTest {

    private final CifarDataset data = Syncifar.generate(11, 10);

    @Test
    void epochsOfBatchesWithASmallerLastOne() {
        List<Batch> all = take(new EpochBatches("r", data, 4, 2, EpochOrder.fileOrder()));
        assertEquals(6, all.size());
        int[][] expected = {{1, 0, 0, 4}, {1, 1, 4, 4}, {1, 2, 8, 2}, {2, 0, 0, 4}, {2, 1, 4, 4}, {2, 2, 8, 2}};
        for (int n = 0; n < 6; n++) {
            Batch b = all.get(n);
            assertArrayEquals(expected[n], new int[] {b.epoch(), b.index(), (int) b.firstRecord(), b.count()}, b.toString());
            assertEquals(3, b.batches());
        }
        assertEquals(data.label(9), all.get(2).labels()[1]);
        assertArrayEquals(data.image(9), Arrays.copyOfRange(all.get(2).pixels(), Cifar10.IMAGE_BYTES, 2 * Cifar10.IMAGE_BYTES));
    }

    @Test
    void eachEpochFollowsItsShuffle() {
        EpochOrder order = EpochOrder.shuffled(5);
        List<Batch> all = take(new EpochBatches("r", data, 10, 2, order));
        for (int epoch = 1; epoch <= 2; epoch++) {
            int[] indices = order.indices(epoch, 10);
            Batch b = all.get(epoch - 1);
            for (int i = 0; i < 10; i++) {
                assertEquals(data.label(indices[i]), b.labels()[i]);
                assertArrayEquals(data.image(indices[i]),
                        Arrays.copyOfRange(b.pixels(), i * Cifar10.IMAGE_BYTES, (i + 1) * Cifar10.IMAGE_BYTES));
            }
        }
    }

    @Test
    void aRunSkippedToABatchGoesOnWithTheBatchesARunFromTheStartHasThere() {
        List<Batch> fromStart = take(new EpochBatches("r", data, 3, 3, EpochOrder.shuffled(9)));   // 4 per epoch, 12 in all
        for (int n = 1; n <= 12; n++) {
            EpochBatches resumed = new EpochBatches("r", data, 3, 3, EpochOrder.shuffled(9));
            resumed.skipTo((n - 1) / 4 + 1, (n - 1) % 4);
            assertEquals(n, resumed.nextNumber());
            List<Batch> rest = new ArrayList<>();
            while (resumed.hasNext()) rest.add(resumed.next());
            assertEquals(fromStart.subList(n - 1, 12).stream().map(BatchCodec::encode).map(Arrays::toString).toList(),
                    rest.stream().map(BatchCodec::encode).map(Arrays::toString).toList(), "from batch " + n);
        }
        EpochBatches done = new EpochBatches("r", data, 3, 3, EpochOrder.shuffled(9));
        done.skipTo(4, 0);   // after the last batch of the last epoch
        assertFalse(done.hasNext());
        assertThrows(IllegalArgumentException.class, () -> done.skipTo(2, 4), "epoch 2 has batches 0..3");
    }

    private static List<Batch> take(EpochBatches batches) {
        List<Batch> all = new ArrayList<>();
        while (batches.hasNext()) all.add(batches.next());
        assertFalse(batches.hasNext());
        assertEquals(batches.total(), all.size());
        return all;
    }
}
