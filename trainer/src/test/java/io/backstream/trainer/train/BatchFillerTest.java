package io.backstream.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Batch records carry pixels as uint8, so "NaN pixels after decoding" cannot happen: every one of
 * the 256 byte values decodes to a finite x / 255 in [0, 1]. This pins that, so a change of wire
 * format (floats, say) has to bring its own NaN check.
 */
class BatchFillerTest {

    @Test
    @DisplayName("every uint8 pixel value decodes to a finite x/255 in [0, 1]: no batch record can hold a NaN pixel")
    void noBytePixelDecodesToNaN() {
        byte[] pixels = new byte[BatchFiller.IMAGE];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) i;   // every byte value, 12 times over
        float[] decoded = new BatchFiller(1).fill(pixels, new byte[] {0}, 1).data().asFloat();
        for (int i = 0; i < decoded.length; i++) {
            assertTrue(Float.isFinite(decoded[i]) && decoded[i] >= 0f && decoded[i] <= 1f, "byte " + (i & 0xff) + " gave " + decoded[i]);
            assertEquals((i & 0xff) / 255f, decoded[i], 0f);
        }
    }
}
