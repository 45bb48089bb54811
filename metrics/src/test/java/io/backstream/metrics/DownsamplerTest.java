package io.backstream.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DownsamplerTest {

    static LossCurve noisyCurve(int n, long seed) {
        LossCurve c = new LossCurve();
        Random r = new Random(seed);
        for (int i = 1; i <= n; i++) c.append(i, (float) (2.3 * Math.exp(-i / 20000.0) + 0.1 * r.nextGaussian()));
        return c;
    }

    @Test
    @DisplayName("a short curve comes back whole; a long one keeps first and last, stays within maxPoints, in step order")
    void bounds() {
        LossCurve c = noisyCurve(50_000, 1);
        assertEquals(50_000, c.size());
        assertEquals(50_000, c.downsample(100_000).size());
        for (int max : new int[] {2, 3, 4, 5, 100, 1001, 49_999}) {
            Downsampler.Points p = c.downsample(max);
            assertTrue(p.size() <= max, max + " -> " + p.size());
            assertEquals(1, p.steps()[0]);
            assertEquals(50_000, p.steps()[p.size() - 1]);
            for (int i = 1; i < p.size(); i++) assertTrue(p.steps()[i] > p.steps()[i - 1], "ascending steps at " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> c.downsample(1));
    }

    @Test
    @DisplayName("each bucket keeps its min and its max: a spike and a dip anywhere survive")
    void minAndMax() {
        long[] steps = new long[1000];
        float[] loss = new float[1000];
        for (int i = 0; i < 1000; i++) {
            steps[i] = i + 1;
            loss[i] = 1f;
        }
        loss[333] = 9f;
        loss[334] = -3f;
        loss[777] = Float.NaN;
        Downsampler.Points p = Downsampler.minMax(steps, loss, 1000, 12);   // 5 buckets of ~200 points
        assertTrue(contains(p, 334, 9f), "spike kept");
        assertTrue(contains(p, 335, -3f), "dip kept");
        assertTrue(contains(p, 778, Float.NaN), "NaN counts as highest: a divergence stays visible");
        // brute force: every bucket's min and max are in the output
        int buckets = 5, inner = 998;
        for (int b = 0; b < buckets; b++) {
            int from = 1 + b * inner / buckets, to = 1 + (b + 1) * inner / buckets;
            float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                if (Float.compare(loss[i], min) < 0) min = loss[i];
                if (Float.compare(loss[i], max) > 0) max = loss[i];
            }
            assertTrue(containsValue(p, min) && containsValue(p, max), "bucket " + b);
        }
    }

    @Test
    @DisplayName("a zoomed-in stretch [from, to] is thinned on its own: only its steps, its own first and last, as many points as the whole got")
    void stretch() {
        LossCurve c = noisyCurve(50_000, 2);
        Downsampler.Points whole = c.downsample(1000);
        Downsampler.Points zoomed = c.downsample(1000, 20_000, 20_999);
        assertEquals(1000, zoomed.size(), "1,000 steps in the stretch: every one of them");
        assertEquals(20_000, zoomed.steps()[0]);
        assertEquals(20_999, zoomed.steps()[zoomed.size() - 1]);
        long inWhole = java.util.Arrays.stream(whole.steps()).filter(s -> s >= 20_000 && s <= 20_999).count();
        assertTrue(inWhole < 50, "the whole curve's thinned copy has only " + inWhole + " points there");

        Downsampler.Points wide = c.downsample(500, 10_001, 40_000);
        assertTrue(wide.size() <= 500);
        assertEquals(10_001, wide.steps()[0]);
        assertEquals(40_000, wide.steps()[wide.size() - 1]);
        // bounds between points, beyond the curve, or empty
        Downsampler.Points tail = c.downsample(10, 49_990, Long.MAX_VALUE);
        assertEquals(50_000, tail.steps()[tail.size() - 1]);
        assertEquals(1, c.downsample(10, Long.MIN_VALUE, 5).steps()[0]);
        assertEquals(0, c.downsample(10, 60_000, 70_000).size());
        assertEquals(0, c.downsample(10, 7, 6).size());
    }

    @Test
    @DisplayName("a stretch's buckets keep their min and max like the whole curve's")
    void stretchKeepsExtremes() {
        LossCurve c = new LossCurve();
        for (int i = 1; i <= 10_000; i++) c.append(i * 2L, i == 7_001 ? 50f : 1f);   // even steps only; a spike at step 14,002
        Downsampler.Points p = c.downsample(20, 13_001, 15_001);   // from and to fall between points
        assertEquals(13_002, p.steps()[0]);
        assertEquals(15_000, p.steps()[p.size() - 1]);
        assertTrue(contains(p, 14_002, 50f), "the spike survives");
    }

    @Test
    @DisplayName("the curve ignores steps that do not move forward (replays, duplicates)")
    void forwardOnly() {
        LossCurve c = new LossCurve();
        assertTrue(c.append(1, 2f));
        assertTrue(c.append(3, 1f));
        assertFalse(c.append(3, 5f));
        assertFalse(c.append(2, 5f));
        Downsampler.Points p = c.downsample(10);
        assertArrayEquals(new long[] {1, 3}, p.steps());
        assertArrayEquals(new float[] {2f, 1f}, p.losses());
    }

    static boolean contains(Downsampler.Points p, long step, float loss) {
        for (int i = 0; i < p.size(); i++) if (p.steps()[i] == step && Float.compare(p.losses()[i], loss) == 0) return true;
        return false;
    }

    static boolean containsValue(Downsampler.Points p, float loss) {
        for (int i = 0; i < p.size(); i++) if (Float.compare(p.losses()[i], loss) == 0) return true;
        return false;
    }
}
