package io.backstream.data.service;

import io.backstream.data.CifarDataset;
import io.backstream.data.EpochOrder;
import io.backstream.events.Batch;
import io.backstream.events.Cifar10;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A run's batches in publishing order: epochs 1..E, each in its {@link EpochOrder}, cut into
 * batches of {@code batchSize} with a smaller last one (DataLoader's {@code drop_last=False}).
 * Each batch's arrays are built when it is asked for, so only the batches in flight use memory.
 * A resumed run {@link #skipTo skips} to where it left off: an epoch's order depends only on the
 * seed and the epoch, so the batches from there on are the ones a run from the start would give.
 */
final class EpochBatches implements Iterator<Batch> {

    private final String runId;
    private final CifarDataset data;
    private final int batchSize;
    private final int epochs;
    private final EpochOrder order;
    private final int batchesPerEpoch;

    private int epoch = 1;
    private int index;
    private int[] epochIndices;

    EpochBatches(String runId, CifarDataset data, int batchSize, int epochs, EpochOrder order) {
        if (data.size() == 0) throw new IllegalArgumentException("the dataset has no images");
        if (batchSize < 1) throw new IllegalArgumentException("batchSize: must be >= 1, got " + batchSize);
        if (epochs < 1) throw new IllegalArgumentException("epochs: must be >= 1, got " + epochs);
        this.runId = runId;
        this.data = data;
        this.batchSize = batchSize;
        this.epochs = epochs;
        this.order = order;
        this.batchesPerEpoch = (data.size() + batchSize - 1) / batchSize;
    }

    int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Batches over the whole run: the global step the trainer reports after the last one. */
    long total() {
        return (long) batchesPerEpoch * epochs;
    }

    /** The next batch's number over the run, 1-based: the step the trainer reports after training it. */
    long nextNumber() {
        return (long) (epoch - 1) * batchesPerEpoch + index + 1;
    }

    /** Makes (epoch, index) the next batch; epoch {@code epochs + 1} (index 0) leaves nothing to take. */
    void skipTo(int epoch, int index) {
        if (epoch < 1 || index < 0 || index >= batchesPerEpoch || epoch > epochs + 1 || (epoch == epochs + 1 && index > 0)) {
            throw new IllegalArgumentException("no batch (" + epoch + ", " + index + ") in " + epochs + " epoch(s) of "
                    + batchesPerEpoch + " batches");
        }
        this.epoch = epoch;
        this.index = index;
        this.epochIndices = null;
    }

    @Override
    public boolean hasNext() {
        return epoch <= epochs;
    }

    @Override
    public Batch next() {
        if (!hasNext()) throw new NoSuchElementException("all " + total() + " batches were taken");
        if (epochIndices == null) epochIndices = order.indices(epoch, data.size());
        int first = index * batchSize;
        int count = Math.min(batchSize, data.size() - first);
        byte[] labels = new byte[count];
        byte[] pixels = new byte[count * Cifar10.IMAGE_BYTES];
        for (int i = 0; i < count; i++) {
            int record = epochIndices[first + i];
            labels[i] = (byte) data.label(record);
            data.copyImage(record, pixels, i * Cifar10.IMAGE_BYTES);
        }
        Batch batch = new Batch(runId, epoch, index, batchesPerEpoch, first, count, labels, pixels);
        if (++index == batchesPerEpoch) {
            index = 0;
            epoch++;
            epochIndices = null;
        }
        return batch;
    }
}
