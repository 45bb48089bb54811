package io.backstream.trainer.cli.bench;

import java.util.Arrays;

/** The arithmetic of {@code bench-pipeline}: steady-state rates from step timestamps, and percentiles. */
public final class BenchStats {
    private BenchStats() {}

    /**
     * Images per second over the steady part of a run: the steps are taken in order, the first
     * {@code skipFraction} of them (at least one, the clock's start) are left out, and the rate is
     * the images of the steps after the first kept one divided by the time between the first kept
     * step and the last.
     *
     * @param times when each step finished, in step order (any clock)
     * @param images the images of each step
     * @param ticksPerSecond the clock's unit: 1,000 for milliseconds, 1e9 for nanoseconds
     * @return images/second, or NaN when fewer than two steps remain or no time passed
     */
    public static double steadyRate(long[] times, int[] images, double skipFraction, double ticksPerSecond) {
        if (times.length != images.length) throw new IllegalArgumentException("one image count per timestamp");
        if (skipFraction < 0 || skipFraction >= 1) throw new IllegalArgumentException("skipFraction must be in [0, 1), got " + skipFraction);
        int n = times.length;
        int first = (int) Math.floor(n * skipFraction);
        if (n - first < 2) return Double.NaN;
        long count = 0;
        for (int i = first + 1; i < n; i++) count += images[i];
        long ticks = times[n - 1] - times[first];
        return ticks <= 0 ? Double.NaN : count * ticksPerSecond / ticks;
    }

    /**
     * The {@code p}-th percentile (0..100) by the nearest-rank method: the smallest value with at
     * least p% of the values at or below it. NaN for no values.
     */
    public static double percentile(double[] values, double p) {
        if (p < 0 || p > 100) throw new IllegalArgumentException("percentile must be in [0, 100], got " + p);
        if (values.length == 0) return Double.NaN;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** The 1, 5 and 15 minute load averages, to print beside figures: a busy machine makes them worthless. */
    public static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
