package io.backstream.evaluator;

/** Accumulates accuracy, cross-entropy and per-class accuracy from logits, one sample at a time. */
public final class ScoreAccumulator {
    private final int classes;
    private final long[] count;
    private final long[] correct;
    private double lossSum;
    private long total;

    public ScoreAccumulator(int classes) {
        if (classes < 1) throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        this.classes = classes;
        this.count = new long[classes];
        this.correct = new long[classes];
    }

    /** Adds the sample whose logits are {@code logits[offset .. offset+classes)}. */
    public void add(float[] logits, int offset, int label) {
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException("label " + label + " is outside [0, " + classes + ") (the model has " + classes + " outputs)");
        }
        int best = 0;
        double max = logits[offset];
        for (int k = 1; k < classes; k++) {
            if (logits[offset + k] > max) {
                max = logits[offset + k];
                best = k;
            }
        }
        // cross-entropy from logits, stable: log(sum exp(z - max)) + max - z[label]
        double sum = 0;
        for (int k = 0; k < classes; k++) sum += Math.exp(logits[offset + k] - max);
        lossSum += Math.log(sum) + max - logits[offset + label];
        count[label]++;
        if (best == label) correct[label]++;
        total++;
    }

    public Score result() {
        long right = 0;
        double[] perClass = new double[classes];
        for (int k = 0; k < classes; k++) {
            right += correct[k];
            perClass[k] = count[k] == 0 ? Double.NaN : (double) correct[k] / count[k];
        }
        return new Score(total, right, total == 0 ? Double.NaN : (double) right / total,
                total == 0 ? Double.NaN : lossSum / total, perClass, count);
    }
}
