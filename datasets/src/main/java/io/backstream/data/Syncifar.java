package io.backstream.data;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The SYNCIFAR v1 generator: a deterministic, learnable stand-in for CIFAR-10 written in the
 * CIFAR-10 binary record layout. Integer arithmetic only, so every implementation of the spec
 * produces the same bytes (the reference README gives the sha256 of the default files).
 *
 * <p>Each class is a 4x4 grid of 8x8-pixel colour cells per channel; a record is its class
 * template cyclically shifted by up to 3 pixels, with a per-image brightness and per-pixel noise.
 * One generator instance is one file's record stream: records must be drawn in order.
 */
public final class Syncifar {

    /** Seed of the generator that draws the class templates (independent of any file seed). */
    public static final long TEMPLATE_SEED = 0x5EED0000C1FA0010L;

    private static final int GRID = 4;
    private static final int CELL = CifarFormat.WIDTH / GRID;
    private static final int PLANE_CELLS = GRID * GRID;

    /** Templates flattened as [class][channel][gy][gx]; drawn once, they never change. */
    private static final int[] TEMPLATES = drawTemplates();

    private final SplitMix64 random;

    /** A record stream for one file: the spec uses seed 1 for syn_train.bin and 2 for syn_test.bin. */
    public Syncifar(long fileSeed) {
        this.random = new SplitMix64(fileSeed);
    }

    private static int[] drawTemplates() {
        SplitMix64 random = new SplitMix64(TEMPLATE_SEED);
        int[] base = new int[CifarFormat.CHANNELS * PLANE_CELLS];
        for (int i = 0; i < base.length; i++) {
            base[i] = 64 + random.uniform(128);
        }
        int[] templates = new int[CifarFormat.NUM_CLASSES * base.length];
        for (int c = 0; c < CifarFormat.NUM_CLASSES; c++) {
            for (int i = 0; i < base.length; i++) {
                templates[c * base.length + i] = base[i] + random.uniform(97) - 48;
            }
        }
        return templates;
    }

    /** The class templates T[class][channel][gy][gx] (a fresh copy). */
    public static int[][][][] classTemplates() {
        int[][][][] t = new int[CifarFormat.NUM_CLASSES][CifarFormat.CHANNELS][GRID][GRID];
        int i = 0;
        for (int c = 0; c < CifarFormat.NUM_CLASSES; c++) {
            for (int ch = 0; ch < CifarFormat.CHANNELS; ch++) {
                for (int gy = 0; gy < GRID; gy++) {
                    for (int gx = 0; gx < GRID; gx++) {
                        t[c][ch][gy][gx] = TEMPLATES[i++];
                    }
                }
            }
        }
        return t;
    }

    /**
     * Draws the next record (label byte + 3072 pixel bytes) into {@code record} at {@code offset}.
     * Exactly 4 + 3072 draws, in the spec's order.
     */
    public void nextRecord(byte[] record, int offset) {
        int label = random.uniform(10);
        int dx = random.uniform(7) - 3;
        int dy = random.uniform(7) - 3;
        int bright = random.uniform(65) - 32;
        record[offset] = (byte) label;
        int out = offset + 1;
        for (int ch = 0; ch < CifarFormat.CHANNELS; ch++) {
            int plane = (label * CifarFormat.CHANNELS + ch) * PLANE_CELLS;
            for (int y = 0; y < CifarFormat.HEIGHT; y++) {
                int row = plane + ((y + dy + 32) % 32) / CELL * GRID;
                for (int x = 0; x < CifarFormat.WIDTH; x++) {
                    int gx = ((x + dx + 32) % 32) / CELL;
                    int v = TEMPLATES[row + gx] + bright + random.uniform(129) - 64;
                    record[out++] = (byte) Math.min(255, Math.max(0, v));
                }
            }
        }
    }

    /** Streams {@code count} records of the file with seed {@code fileSeed} to {@code out} (not closed). */
    public static void write(long fileSeed, int count, OutputStream out) throws IOException {
        requireCount(count);
        Syncifar generator = new Syncifar(fileSeed);
        // 64 records per write: big enough to amortise the stream, small enough to stay in L2.
        byte[] chunk = new byte[64 * CifarFormat.RECORD_BYTES];
        int left = count;
        while (left > 0) {
            int n = Math.min(left, 64);
            for (int r = 0; r < n; r++) {
                generator.nextRecord(chunk, r * CifarFormat.RECORD_BYTES);
            }
            out.write(chunk, 0, n * CifarFormat.RECORD_BYTES);
            left -= n;
        }
    }

    /** The first {@code count} records of the file with seed {@code fileSeed}, in memory. */
    public static CifarDataset generate(long fileSeed, int count) {
        requireCount(count);
        Syncifar generator = new Syncifar(fileSeed);
        byte[] record = new byte[CifarFormat.RECORD_BYTES];
        byte[] labels = new byte[count];
        byte[] pixels = new byte[count * CifarFormat.IMAGE_BYTES];
        for (int i = 0; i < count; i++) {
            generator.nextRecord(record, 0);
            labels[i] = record[0];
            System.arraycopy(record, 1, pixels, i * CifarFormat.IMAGE_BYTES, CifarFormat.IMAGE_BYTES);
        }
        return new CifarDataset(pixels, labels, CifarFormat.CLASS_NAMES,
                "SYNCIFAR v1 seed " + fileSeed + ", " + count + " records");
    }

    private static void requireCount(int count) {
        // The in-memory form is one byte[]: keep N*3072 below 2^31.
        if (count < 0 || count > Integer.MAX_VALUE / CifarFormat.IMAGE_BYTES) {
            throw new IllegalArgumentException("record count must be 0.." + Integer.MAX_VALUE / CifarFormat.IMAGE_BYTES
                    + ", got " + count);
        }
    }
}
