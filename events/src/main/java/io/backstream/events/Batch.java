package io.backstream.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A run of CIFAR-10 examples as {@link BatchCodec} carries them: a training batch on
 * {@link Topics#TRAINING_BATCHES}, or a chunk of a test set on {@link Topics#DATASET_TESTSET}.
 *
 * <p>The arrays are held, not copied (a 256-image batch is 786 KB): whoever builds a batch hands
 * them over and does not change them afterwards.
 *
 * @param runId the run, or for a test-set chunk the dataset id; 1..65535 UTF-8 bytes
 * @param epoch 1-based training epoch; 0 for a test-set chunk
 * @param index the batch's 0-based position within its epoch (the chunk's within the test set)
 * @param batches how many batches the epoch has (chunks the test set has), so a consumer knows
 *     an epoch's last batch when it sees it: {@code index == batches - 1}
 * @param firstRecord the position of the batch's first example in the epoch's (shuffled) order,
 *     so a run can resume exactly at the next one
 * @param count examples in the batch, 1..{@value BatchCodec#MAX_COUNT}
 * @param labels {@code count} labels, each 0..9
 * @param pixels {@code count * 3072} uint8 pixels, image after image in CIFAR's order
 */
public record Batch(String runId, int epoch, int index, int batches, long firstRecord, int count, byte[] labels, byte[] pixels) {

    public Batch {
        Checks.required("runId", runId);
        if (runId.getBytes(StandardCharsets.UTF_8).length > BatchCodec.MAX_RUN_ID_BYTES) {
            throw new IllegalArgumentException("runId: at most " + BatchCodec.MAX_RUN_ID_BYTES + " UTF-8 bytes");
        }
        if (epoch < 0) throw new IllegalArgumentException("epoch: must be >= 0, got " + epoch);
        if (index < 0) throw new IllegalArgumentException("index: must be >= 0, got " + index);
        if (batches <= index) throw new IllegalArgumentException("batches: must be > index " + index + ", got " + batches);
        if (firstRecord < 0) throw new IllegalArgumentException("firstRecord: must be >= 0, got " + firstRecord);
        if (count < 1 || count > BatchCodec.MAX_COUNT) {
            throw new IllegalArgumentException("count: must be 1.." + BatchCodec.MAX_COUNT + ", got " + count);
        }
        Checks.required("labels", labels);
        Checks.required("pixels", pixels);
        if (labels.length != count) {
            throw new IllegalArgumentException("labels: expected " + count + " for count " + count + ", got " + labels.length);
        }
        if ((long) pixels.length != (long) count * Cifar10.IMAGE_BYTES) {
            throw new IllegalArgumentException("pixels: expected " + (long) count * Cifar10.IMAGE_BYTES
                    + " bytes for count " + count + ", got " + pixels.length);
        }
        int bad = BatchCodec.firstBadLabel(labels, 0, count);
        if (bad >= 0) {
            throw new IllegalArgumentException("labels: label " + labels[bad] + " outside 0..9 at position " + bad);
        }
    }

    /** A test-set chunk: the dataset id in place of a run, epoch 0, {@code count = labels.length}. */
    public static Batch testSetChunk(String datasetId, int index, int chunks, long firstRecord, byte[] labels, byte[] pixels) {
        return new Batch(datasetId, 0, index, chunks, firstRecord, labels.length, labels, pixels);
    }

    /** True for the last batch of its epoch (the last chunk of a test set). */
    public boolean lastOfEpoch() {
        return index == batches - 1;
    }

    // Arrays compare by content: two batches are equal when they carry the same examples.

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch b && runId.equals(b.runId) && epoch == b.epoch && index == b.index && batches == b.batches
                && firstRecord == b.firstRecord && count == b.count
                && Arrays.equals(labels, b.labels) && Arrays.equals(pixels, b.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * java.util.Objects.hash(runId, epoch, index, batches, firstRecord, count) + Arrays.hashCode(labels))
                + Arrays.hashCode(pixels);
    }

    /** Sizes rather than contents: a batch's bytes do not belong in a log line. */
    @Override
    public String toString() {
        return "Batch[runId=" + runId + ", epoch=" + epoch + ", index=" + index + "/" + batches + ", firstRecord=" + firstRecord
                + ", count=" + count + "]";
    }
}
