package io.backstream.evaluator;

import java.util.Arrays;

/**
 * The score of a model on a labelled data set.
 *
 * @param count images scored
 * @param correct images whose arg-max logit (first one on ties) is the label
 * @param accuracy {@code correct / count}
 * @param loss mean cross-entropy {@code logsumexp(z) - z[label]} over the images, computed in double
 * @param perClassAccuracy per label: correct / images with that label ({@code NaN} for a label that never occurs)
 * @param perClassCount per label: images with that label
 */
public record Score(long count, long correct, double accuracy, double loss, double[] perClassAccuracy, long[] perClassCount) {
    public Score {
        perClassAccuracy = perClassAccuracy.clone();
        perClassCount = perClassCount.clone();
    }

    @Override
    public double[] perClassAccuracy() {
        return perClassAccuracy.clone();
    }

    @Override
    public long[] perClassCount() {
        return perClassCount.clone();
    }

    public int classes() {
        return perClassCount.length;
    }

    @Override
    public String toString() {
        return String.format("Score[count=%d, accuracy=%.4f, loss=%.6f, perClassAccuracy=%s, perClassCount=%s]",
                count, accuracy, loss, Arrays.toString(perClassAccuracy), Arrays.toString(perClassCount));
    }
}
