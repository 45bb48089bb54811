package io.backstream.evaluator.service;

/**
 * A dataset's complete test split, assembled from its {@code dataset.testset} chunks in chunk order.
 * The arrays are held, not copied, and never changed.
 *
 * @param labels one label (0..9) per image
 * @param pixels {@code labels.length * 3072} uint8 pixels, image after image in CIFAR order
 */
public record TestSet(String datasetId, byte[] labels, byte[] pixels) {

    public int count() {
        return labels.length;
    }

    @Override
    public String toString() {
        return "TestSet[datasetId=" + datasetId + ", count=" + count() + "]";
    }
}
