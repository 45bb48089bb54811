package io.backstream.trainer.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BenchStatsTest {

    @Test
    void steadyRateSkipsTheFirstStepsAndCountsImagesAfterTheFirstKeptStep() {
        // 10 steps: a slow start (step 0 at 0 ms, step 1 at 1000 ms), then one 64-image step every 10 ms
        long[] t = {0, 1000, 1010, 1020, 1030, 1040, 1050, 1060, 1070, 1080};
        int[] images = {64, 64, 64, 64, 64, 64, 64, 64, 64, 64};
        // skipping 10% drops step 0; steps 2..9 (8 x 64 images) over 1080 - 1000 ms
        assertEquals(8 * 64 * 1000.0 / 80, BenchStats.steadyRate(t, images, 0.10, 1000), 1e-9);
        // without skipping the slow start weighs in
        assertEquals(9 * 64 * 1000.0 / 1080, BenchStats.steadyRate(t, images, 0.0, 1000), 1e-9);
    }

    @Test
    void steadyRateCountsASmallerLastBatch() {
        long[] t = {0, 100, 200};
        int[] images = {64, 64, 16};
        assertEquals((64 + 16) * 1000.0 / 200, BenchStats.steadyRate(t, images, 0.0, 1000), 1e-9);
        long[] nanos = {0, 100_000_000, 200_000_000};
        assertEquals((64 + 16) * 1000.0 / 200, BenchStats.steadyRate(nanos, images, 0.0, 1e9), 1e-9);
    }

    @Test
    void steadyRateIsNaNWithoutTwoStepsOrElapsedTime() {
        assertTrue(Double.isNaN(BenchStats.steadyRate(new long[] {5}, new int[] {1}, 0.1, 1000)));
        assertTrue(Double.isNaN(BenchStats.steadyRate(new long[] {5, 5}, new int[] {1, 1}, 0.0, 1000)));
        assertThrows(IllegalArgumentException.class, () -> BenchStats.steadyRate(new long[] {1, 2}, new int[] {1}, 0.1, 1000));
        assertThrows(IllegalArgumentException.class, () -> BenchStats.steadyRate(new long[] {1, 2}, new int[] {1, 1}, 1.0, 1000));
    }

    @Test
    void percentileIsNearestRank() {
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) v[i] = 100 - i;    // 100..1, unsorted on purpose
        assertEquals(50, BenchStats.percentile(v, 50));
        assertEquals(99, BenchStats.percentile(v, 99));
        assertEquals(100, BenchStats.percentile(v, 100));
        assertEquals(1, BenchStats.percentile(v, 0));
        assertEquals(7, BenchStats.percentile(new double[] {3, 7, 5}, 99));
        assertEquals(5, BenchStats.percentile(new double[] {3, 7, 5}, 50));
        assertTrue(Double.isNaN(BenchStats.percentile(new double[0], 50)));
        assertThrows(IllegalArgumentException.class, () -> BenchStats.percentile(v, 101));
    }
}
