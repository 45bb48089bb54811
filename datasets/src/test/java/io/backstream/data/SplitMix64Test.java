package io.backstream.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SplitMix64Test {

    @Test
    void seedOneProducesTheSpecsFirstFiveOutputs() {
        SplitMix64 random = new SplitMix64(1);
        String[] expected = {"910a2dec89025cc1", "beeb8da1658eec67", "f893a2eefb32555e",
            "71c18690ee42c90b", "71bb54d8d101b5b9"};
        for (String hex : expected) {
            assertEquals(hex, String.format("%016x", random.next()));
        }
    }

    @Test
    void uniformTenFromSeedOneMatchesTheSpec() {
        SplitMix64 random = new SplitMix64(1);
        int[] drawn = new int[10];
        for (int i = 0; i < drawn.length; i++) {
            drawn[i] = random.uniform(10);
        }
        assertArrayEquals(new int[] {5, 7, 9, 4, 4, 7, 8, 5, 2, 7}, drawn);
    }

    @Test
    void uniformUsesTheTopThirtyTwoBitsOfNext() {
        SplitMix64 a = new SplitMix64(42);
        SplitMix64 b = new SplitMix64(42);
        for (int i = 0; i < 1000; i++) {
            long top = a.next() >>> 32;
            assertEquals((int) ((top * Integer.MAX_VALUE) >>> 32), b.uniform(Integer.MAX_VALUE));
        }
    }

    @Test
    void uniformRejectsAnEmptyRange() {
        assertThrows(IllegalArgumentException.class, () -> new SplitMix64(1).uniform(0));
    }
}
