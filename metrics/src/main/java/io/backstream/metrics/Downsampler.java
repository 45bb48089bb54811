package io.backstream.metrics;

import java.util.Arrays;

/**
 * Min/max bucketing of a curve for drawing: the first and last points always stay; the points
 * between are cut into {@code (maxPoints - 2) / 2} buckets of consecutive points, and each bucket
 * keeps its lowest and its highest point, in step order. Spikes and dips survive however hard the
 * curve is thinned, which averaging or striding would smooth away. NaN counts as the highest value
 * (a diverged step stays visible).
 */
public final class Downsampler {

    /** A curve: {@code steps[i]} and {@code losses[i]} are one point. */
    public record Points(long[] steps, float[] losses) {
        public int size() {
            return steps.length;
        }
    }

    /**
     * @param n the curve's points are {@code steps[0..n)}, {@code losses[0..n)}
     * @param maxPoints at least 2
     */
    public static Points minMax(long[] steps, float[] losses, int n, int maxPoints) {
        return minMax(steps, losses, 0, n, maxPoints);
    }

    /**
     * The points {@code [start, end)} of a curve, thinned the same way (a zoomed-in view: its own first and
     * last points stay, its own buckets are narrower).
     */
    public static Points minMax(long[] steps, float[] losses, int start, int end, int maxPoints) {
        if (maxPoints < 2) throw new IllegalArgumentException("maxPoints: must be >= 2, got " + maxPoints);
        int n = end - start;
        if (n <= maxPoints) return new Points(Arrays.copyOfRange(steps, start, end), Arrays.copyOfRange(losses, start, end));
        int buckets = (maxPoints - 2) / 2;
        int inner = n - 2;
        long[] outSteps = new long[maxPoints];
        float[] outLosses = new float[maxPoints];
        int k = 0;
        outSteps[k] = steps[start];
        outLosses[k++] = losses[start];
        for (int b = 0; b < buckets; b++) {
            int from = start + 1 + (int) ((long) b * inner / buckets);
            int to = start + 1 + (int) ((long) (b + 1) * inner / buckets);
            int min = from, max = from;
            for (int i = from + 1; i < to; i++) {
                if (Float.compare(losses[i], losses[min]) < 0) min = i;
                if (Float.compare(losses[i], losses[max]) > 0) max = i;
            }
            int first = Math.min(min, max), second = Math.max(min, max);
            outSteps[k] = steps[first];
            outLosses[k++] = losses[first];
            if (second != first) {
                outSteps[k] = steps[second];
                outLosses[k++] = losses[second];
            }
        }
        outSteps[k] = steps[end - 1];
        outLosses[k++] = losses[end - 1];
        return new Points(Arrays.copyOf(outSteps, k), Arrays.copyOf(outLosses, k));
    }

    private Downsampler() {}
}
