package io.backstream.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CifarDatasetTest {

    /** Image 0 is every byte value 0..255 in turn; image 1 is their reverse. */
    private static CifarDataset ramp() {
        byte[] pixels = new byte[2 * 3072];
        for (int k = 0; k < 3072; k++) {
            pixels[k] = (byte) k;
            pixels[3072 + k] = (byte) (255 - k);
        }
        return CifarDataset.of(pixels, new byte[] {3, 9}, CifarFormat.CLASS_NAMES, "ramp");
    }

    @Test
    void floatsAreTheUnsignedByteDividedBy255fExactly() {
        float[] batch = new float[2 * 3072 + 5];
        ramp().imageAsFloats(1, batch, 5);
        for (int k = 0; k < 3072; k++) {
            int b = (255 - k) & 0xff;
            assertEquals(Float.floatToRawIntBits(b / 255f), Float.floatToRawIntBits(batch[5 + k]), "pixel " + k);
        }
        assertEquals(0f, batch[4]); // nothing written before the offset
        assertEquals(0f, batch[5 + 3072]); // or after the image
    }

    @Test
    void floatsCoverZeroToOneWithBytesAbove127NotNegative() {
        float[] image = new float[3072];
        ramp().imageAsFloats(0, image, 0);
        assertEquals(0f, image[0]);
        assertEquals(128 / 255f, image[128]);
        assertEquals(1f, image[255]);
    }

    @Test
    void copyImageGivesTheRawBytesAtAnOffset() {
        byte[] dst = new byte[3072 + 1];
        ramp().copyImage(0, dst, 1);
        for (int k = 0; k < 3072; k++) {
            assertEquals((byte) k, dst[1 + k]);
        }
    }

    @Test
    void labelsAreUnsignedAndNamed() {
        CifarDataset data = ramp();
        assertEquals(2, data.size());
        assertEquals(9, data.label(1));
        assertEquals("truck", data.classNames().get(data.label(1)));
        assertArrayEquals(new int[] {0, 0, 0, 1, 0, 0, 0, 0, 0, 1}, data.labelCounts());
    }

    @Test
    void concatKeepsThePartsInOrder() {
        CifarDataset a = Syncifar.generate(1, 3);
        CifarDataset b = Syncifar.generate(2, 2);
        CifarDataset both = CifarDataset.concat(List.of(a, b), CifarFormat.CLASS_NAMES, "a+b");
        assertEquals(5, both.size());
        assertArrayEquals(b.image(1), both.image(4));
        assertEquals(a.label(2), both.label(2));
    }

    @Test
    void inconsistentArraysAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> CifarDataset.of(new byte[3071], new byte[1], CifarFormat.CLASS_NAMES, "short"));
        assertThrows(IllegalArgumentException.class,
                () -> CifarDataset.of(new byte[3072], new byte[] {10}, CifarFormat.CLASS_NAMES, "label 10"));
        assertThrows(IndexOutOfBoundsException.class, () -> ramp().imageAsFloats(0, new float[3071], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> ramp().label(2));
    }
}
