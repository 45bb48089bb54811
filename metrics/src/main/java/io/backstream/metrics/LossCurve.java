package io.backstream.metrics;

import java.util.Arrays;

/**
 * Every step loss of one run, in two growing primitive arrays (12 bytes a point: 50 000 steps are
 * 600 KB). Steps only go forward: a step at or before the last one (a replay, a duplicate) is
 * ignored. Thread-safe: Kafka appends while HTTP reads.
 */
public final class LossCurve {

    private long[] steps = new long[1024];
    private float[] losses = new float[1024];
    private int size;

    /** Appends a point; false if {@code step} is not after the last step. */
    public synchronized boolean append(long step, float loss) {
        if (size > 0 && step <= steps[size - 1]) return false;
        if (size == steps.length) {
            steps = Arrays.copyOf(steps, size * 2);
            losses = Arrays.copyOf(losses, size * 2);
        }
        steps[size] = step;
        losses[size] = loss;
        size++;
        return true;
    }

    public synchronized int size() {
        return size;
    }

    /** At most {@code maxPoints} points of the curve, by {@link Downsampler#minMax}. */
    public synchronized Downsampler.Points downsample(int maxPoints) {
        return Downsampler.minMax(steps, losses, size, maxPoints);
    }

    /**
     * At most {@code maxPoints} points of the part of the curve between steps {@code fromStep} and
     * {@code toStep} (both included): a zoomed-in view, as detailed as the whole curve's.
     */
    public synchronized Downsampler.Points downsample(int maxPoints, long fromStep, long toStep) {
        int start = firstAtOrAfter(fromStep);
        int end = toStep == Long.MAX_VALUE ? size : firstAtOrAfter(toStep + 1);
        return Downsampler.minMax(steps, losses, start, Math.max(start, end), maxPoints);
    }

    /** The index of the first point at or after {@code step} ({@code size} if none): steps ascend. */
    private int firstAtOrAfter(long step) {
        int i = Arrays.binarySearch(steps, 0, size, step);
        return i >= 0 ? i : -i - 1;
    }
}
