package io.backstream.trainer.train;

import io.backstream.data.CifarDataset;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns CIFAR records into the network's input: a reused [N,3,32,32] float tensor holding
 * {@code x = (uint8) / 255f} (as torchvision's {@code ToTensor}) and the labels, without
 * allocating per batch. Records come from a dataset in memory or as raw bytes off the wire.
 */
public final class BatchFiller {
    public static final int IMAGE = 3 * 32 * 32;
    private final float[] staging;
    private final int[] labels;
    private INDArray images;

    public BatchFiller(int maxBatch) {
        if (maxBatch <= 0) throw new IllegalArgumentException("batch size must be positive, got " + maxBatch);
        this.staging = new float[maxBatch * IMAGE];
        this.labels = new int[maxBatch];
    }

    /** The records {@code order[from .. from+n)} of {@code data}; returns the [n,3,32,32] input. */
    public INDArray fill(CifarDataset data, int[] order, int from, int n) {
        checkSize(n);
        for (int i = 0; i < n; i++) {
            int record = order[from + i];
            data.imageAsFloats(record, staging, i * IMAGE);
            labels[i] = data.label(record);
        }
        return upload(n);
    }

    /** {@code n} images as CIFAR bytes (3072 each: R, G, B planes) and their label bytes. */
    public INDArray fill(byte[] pixels, byte[] labelBytes, int n) {
        checkSize(n);
        if (pixels.length < n * IMAGE || labelBytes.length < n) {
            throw new IllegalArgumentException("need " + n + " images and labels, got " + pixels.length + " pixel bytes and " + labelBytes.length + " labels");
        }
        for (int i = 0; i < n * IMAGE; i++) staging[i] = (pixels[i] & 0xff) / 255f;
        for (int i = 0; i < n; i++) labels[i] = labelBytes[i];
        return upload(n);
    }

    /** Labels of the last filled batch (first n entries are valid). */
    public int[] labels() {
        return labels;
    }

    private void checkSize(int n) {
        if (n <= 0 || n > labels.length) throw new IllegalArgumentException("batch of " + n + " records does not fit 1.." + labels.length);
    }

    private INDArray upload(int n) {
        if (images == null || images.size(0) != n) images = Nd4j.create(DataType.FLOAT, n, 3, 32, 32);
        FloatBuffer view = images.data().asNioFloat();
        view.put(0, staging, 0, n * IMAGE);
        return images;
    }
}
