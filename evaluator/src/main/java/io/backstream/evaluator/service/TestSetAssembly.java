package io.backstream.evaluator.service;

import io.backstream.events.Batch;
import io.backstream.events.Cifar10;

/**
 * The chunks of one dataset's test set received so far. A chunk index seen before is a duplicate
 * and ignored; the set is complete when every one of {@code batches} chunks is in. Not thread-safe.
 */
final class TestSetAssembly {

    private final String datasetId;
    private final Batch[] chunks;
    private int received;

    TestSetAssembly(String datasetId, int chunks) {
        this.datasetId = datasetId;
        this.chunks = new Batch[chunks];
    }

    /** How many chunks this test set has. */
    int chunks() {
        return chunks.length;
    }

    /** Adds a chunk of this set ({@code chunk.batches() == chunks()}); false if its index was already in. */
    boolean add(Batch chunk) {
        if (chunk.batches() != chunks.length) {
            throw new IllegalArgumentException("chunk of " + chunk.batches() + " for an assembly of " + chunks.length);
        }
        if (chunks[chunk.index()] != null) return false;
        chunks[chunk.index()] = chunk;
        received++;
        return true;
    }

    boolean complete() {
        return received == chunks.length;
    }

    /**
     * The assembled set, chunks in index order. Null if the chunks do not line up (a chunk's
     * firstRecord is not the count of the images before it), which happens when two publications of
     * the dataset with different chunking were mixed.
     */
    TestSet build() {
        if (!complete()) throw new IllegalStateException(received + " of " + chunks.length + " chunks of " + datasetId);
        long total = 0;
        for (Batch c : chunks) {
            if (c.firstRecord() != total) return null;
            total += c.count();
        }
        byte[] labels = new byte[Math.toIntExact(total)];
        byte[] pixels = new byte[Math.multiplyExact(labels.length, Cifar10.IMAGE_BYTES)];
        for (Batch c : chunks) {
            int at = (int) c.firstRecord();
            System.arraycopy(c.labels(), 0, labels, at, c.count());
            System.arraycopy(c.pixels(), 0, pixels, at * Cifar10.IMAGE_BYTES, c.pixels().length);
        }
        return new TestSet(datasetId, labels, pixels);
    }
}
