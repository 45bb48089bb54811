package io.backstream.trainer.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code torch.nn.CrossEntropyLoss()} with mean reduction, from logits.
 *
 * <pre>
 * loss      = (1/N) Σ_n [ logsumexp(z_n) − z_n[y_n] ],   logsumexp(z) = m + log Σ_k exp(z_k − m),  m = max_k z_k
 * dloss/dz  = (softmax(z_n) − onehot(y_n)) / N
 * </pre>
 *
 * Subtracting the row max keeps exp() finite for any logits. The [N, classes] logits are tiny, so
 * this runs on the Java side in double precision and rounds once to the logits' type: more accurate
 * than float32 and cheaper than several native op launches.
 */
public final class CrossEntropyLoss {
    private INDArray gradLogits;
    private double[] z = new double[0];
    private double[] dz = new double[0];

    /**
     * Computes the mean loss and d(loss)/d(logits) (returned by {@link #gradient()}).
     *
     * @throws IllegalArgumentException for a label outside [0, classes) or a count mismatch
     */
    public double forward(INDArray logits, int[] labels) {
        return forward(logits, labels, (int) logits.size(0));
    }

    /**
     * For part of a batch: these images' share of the batch's mean loss, {@code Σ loss_n / meanOver},
     * and its gradient ({@code (softmax − onehot) / meanOver}). The shares of a batch's parts, and
     * their gradients, add up to the whole batch's.
     *
     * @param meanOver the images of the whole batch, at least as many as these logits' rows
     */
    public double forward(INDArray logits, int[] labels, int meanOver) {
        if (logits.rank() != 2) throw new IllegalArgumentException("logits must be [N, classes], got rank " + logits.rank());
        int n = (int) logits.size(0);
        int classes = (int) logits.size(1);
        if (meanOver < n) throw new IllegalArgumentException("the mean is over " + meanOver + " images, fewer than these " + n);
        if (labels.length < n) throw new IllegalArgumentException("expected " + n + " labels, got " + labels.length);
        if (z.length != n * classes) {
            z = new double[n * classes];
            dz = new double[n * classes];
        }
        copyOut(logits, z);
        double total = 0;
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            if (y < 0 || y >= classes) throw new IllegalArgumentException("label " + y + " at " + i + " is outside 0.." + (classes - 1));
            int row = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) max = Math.max(max, z[row + k]);
            double sum = 0;
            for (int k = 0; k < classes; k++) sum += Math.exp(z[row + k] - max);
            double logSumExp = max + Math.log(sum);
            total += logSumExp - z[row + y];
            for (int k = 0; k < classes; k++) {
                double softmax = Math.exp(z[row + k] - logSumExp);
                dz[row + k] = (softmax - (k == y ? 1 : 0)) / meanOver;
            }
        }
        gradLogits = Buffers.reuse(gradLogits, logits.dataType(), n, classes);
        copyIn(dz, gradLogits);
        return total / meanOver;
    }

    /** d(mean loss)/d(logits) of the last {@link #forward}; reused between calls. */
    public INDArray gradient() {
        return gradLogits;
    }

    private static void copyOut(INDArray a, double[] dst) {
        INDArray c = a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
        switch (c.dataType()) {
            case FLOAT -> {
                java.nio.FloatBuffer fb = c.data().asNioFloat();
                for (int i = 0; i < dst.length; i++) dst[i] = fb.get(i);
            }
            case DOUBLE -> {
                java.nio.DoubleBuffer db = c.data().asNioDouble();
                for (int i = 0; i < dst.length; i++) dst[i] = db.get(i);
            }
            default -> throw new IllegalArgumentException("logits must be float or double, got " + c.dataType());
        }
    }

    private static void copyIn(double[] src, INDArray dst) {
        switch (dst.dataType()) {
            case FLOAT -> {
                java.nio.FloatBuffer fb = dst.data().asNioFloat();
                for (int i = 0; i < src.length; i++) fb.put(i, (float) src[i]);
            }
            case DOUBLE -> {
                java.nio.DoubleBuffer db = dst.data().asNioDouble();
                for (int i = 0; i < src.length; i++) db.put(i, src[i]);
            }
            default -> throw new IllegalStateException(dst.dataType().toString());
        }
    }
}
