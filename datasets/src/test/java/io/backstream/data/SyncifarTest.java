package io.backstream.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SyncifarTest {

    static final String TRAIN_SHA256 = "1c58d58965adbf28eb9610dc1a1a35f0fb689f119cbde588c81ff00ee89270e8";
    static final String TEST_SHA256 = "51334311cfb734bb7ff329d9c0fe14881fe0e7908f53aa08113bdabf8d193278";

    @Test
    void classTemplatesEqualTheTemplatesListedInDataInfoJson() throws IOException {
        String json = Files.readString(Reference.file("data_info.json"));
        String templatesJson = json.substring(json.indexOf("\"templates\""));
        Matcher number = Pattern.compile("-?\\d+").matcher(templatesJson);
        int[][][][] t = Syncifar.classTemplates();
        int checked = 0;
        for (int c = 0; c < 10; c++) {
            for (int ch = 0; ch < 3; ch++) {
                for (int gy = 0; gy < 4; gy++) {
                    for (int gx = 0; gx < 4; gx++) {
                        number.find();
                        assertEquals(Integer.parseInt(number.group()), t[c][ch][gy][gx],
                                "T[" + c + "][" + ch + "][" + gy + "][" + gx + "]");
                        checked++;
                    }
                }
            }
        }
        assertEquals(480, checked);
    }

    @Test
    void trainFileSeedOneTwoThousandRecordsHashesToTheReferenceSha256() throws IOException {
        byte[] bytes = generate(1, 2000);
        assertEquals(6_146_000, bytes.length);
        assertEquals(TRAIN_SHA256, Hashes.sha256(bytes));
    }

    @Test
    void testFileSeedTwoFiveHundredRecordsHashesToTheReferenceSha256() throws IOException {
        byte[] bytes = generate(2, 500);
        assertEquals(1_536_500, bytes.length);
        assertEquals(TEST_SHA256, Hashes.sha256(bytes));
    }

    @Test
    void labelCountsMatchTheReference() {
        assertArrayEquals(new int[] {206, 201, 206, 208, 182, 231, 199, 181, 198, 188},
                Syncifar.generate(1, 2000).labelCounts());
        assertArrayEquals(new int[] {50, 58, 38, 64, 53, 37, 46, 55, 46, 53},
                Syncifar.generate(2, 500).labelCounts());
    }

    @Test
    void inMemoryGenerationHoldsTheSameRecordsAsTheStream() throws IOException {
        byte[] stream = generate(7, 130);
        CifarDataset data = Syncifar.generate(7, 130);
        for (int i = 0; i < data.size(); i++) {
            assertEquals(stream[i * 3073], (byte) data.label(i));
            byte[] image = new byte[3072];
            System.arraycopy(stream, i * 3073 + 1, image, 0, 3072);
            assertArrayEquals(image, data.image(i), "image " + i);
        }
    }

    @Test
    void aShorterFileIsAPrefixOfALongerOneWithTheSameSeed() throws IOException {
        byte[] longer = generate(1, 100);
        byte[] shorter = generate(1, 65);
        assertArrayEquals(shorter, java.util.Arrays.copyOf(longer, shorter.length));
    }

    @Test
    void generatingTheDefaultPairIsFast() throws IOException {
        generate(1, 2000); // warm up the JIT
        long start = System.nanoTime();
        generate(1, 2000);
        generate(2, 500);
        long millis = (System.nanoTime() - start) / 1_000_000;
        // About 40 ms on the project machine; the bound only catches an accidental slow path.
        org.junit.jupiter.api.Assertions.assertTrue(millis < 2000, "took " + millis + " ms");
    }

    static byte[] generate(long seed, int count) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Syncifar.write(seed, count, out);
        return out.toByteArray();
    }
}
