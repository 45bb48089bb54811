package io.backstream.trainer.train;

import io.backstream.data.CifarDataset;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns dataset records into the network's input: a reused [N,3,32,32] float tensor holding
 * {@code x = (uint8) / 255f} (as torchvision's {@code ToTensor}) and the labels, without
 * allocating per batch.
 */
public final class BatchFiller {
    private static final int IMAGE = 3 * 32 * 32;
    private final CifarDataset data;
    private final float[] staging;
    private INDArray images;
    private final int[] labels;

    public BatchFiller(CifarDataset data, int maxBatch) {
        if (maxBatch <= 0) throw new IllegalArgumentException("batch size must be positive, got " + maxBatch);
        this.data = data;
        this.staging = new float[maxBatch * IMAGE];
        this.labels = new int[maxBatch];
    }

    /** Fills the batch of records {@code order[from .. from+n)}; returns the [n,3,32,32] input. */
    public INDArray fill(int[] order, int from, int n) {
        for (int i = 0; i < n; i++) {
            int record = order[from + i];
            data.imageAsFloats(record, staging, i * IMAGE);
            labels[i] = data.label(record);
        }
        if (images == null || images.size(0) != n) images = Nd4j.create(DataType.FLOAT, n, 3, 32, 32);
        FloatBuffer view = images.data().asNioFloat();
        view.put(0, staging, 0, n * IMAGE);
        return images;
    }

    /** Labels of the last filled batch (first n entries are valid). */
    public int[] labels() {
        return labels;
    }
}
