package io.backstream.data;

/**
 * The SplitMix64 pseudo-random generator exactly as the SYNCIFAR v1 spec defines it.
 *
 * <p>Java's {@code long} arithmetic wraps modulo 2^64, which is exactly the spec's unsigned
 * arithmetic as long as every right shift is the logical {@code >>>}.
 */
public final class SplitMix64 {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** The next 64-bit output (read it as unsigned). */
    public long next() {
        state += GOLDEN_GAMMA;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * An integer in [0, n) from the top 32 bits of {@link #next()} (multiply-shift, no modulo bias
     * correction: the spec wants exactly this). The product of two values below 2^32 and 2^31 fits
     * in a signed long, so no unsigned tricks are needed.
     */
    public int uniform(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("uniform(n) needs n >= 1, got " + n);
        }
        return (int) (((next() >>> 32) * n) >>> 32);
    }
}
