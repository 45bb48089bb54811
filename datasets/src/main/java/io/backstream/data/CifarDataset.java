package io.backstream.data;

import java.util.List;
import java.util.Objects;

/**
 * CIFAR-10 style images held in memory as they are on disk: uint8 pixels, one image after the
 * other (3072 bytes each: red plane, green plane, blue plane, 32x32 row-major), and one label per
 * image. Immutable; the trainer converts to floats per batch with {@link #imageAsFloats}.
 */
public final class CifarDataset {

    /** (b & 0xff) / 255f for every byte value: a table lookup gives the identical float faster. */
    private static final float[] UNIT_FLOATS = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            UNIT_FLOATS[b] = b / 255f;
        }
    }

    private final byte[] pixels;
    private final byte[] labels;
    private final List<String> classNames;
    private final String source;

    /** Takes ownership of the arrays without copying (readers hand over what they just filled). */
    CifarDataset(byte[] pixels, byte[] labels, List<String> classNames, String source) {
        this.pixels = Objects.requireNonNull(pixels, "pixels");
        this.labels = Objects.requireNonNull(labels, "labels");
        this.classNames = List.copyOf(classNames);
        this.source = Objects.requireNonNull(source, "source");
        if ((long) labels.length * CifarFormat.IMAGE_BYTES != pixels.length) {
            throw new IllegalArgumentException(labels.length + " labels need " + (long) labels.length * CifarFormat.IMAGE_BYTES
                    + " pixel bytes, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xff) >= this.classNames.size()) {
                throw new IllegalArgumentException("label " + (labels[i] & 0xff) + " of image " + i
                        + " has no class name (" + this.classNames.size() + " classes)");
            }
        }
    }

    /** A dataset from copies of the given arrays: pixels N*3072 bytes, labels N bytes. */
    public static CifarDataset of(byte[] pixels, byte[] labels, List<String> classNames, String source) {
        return new CifarDataset(pixels.clone(), labels.clone(), classNames, source);
    }

    /** The parts one after the other (e.g. data_batch_1..5), with the given class names. */
    public static CifarDataset concat(List<CifarDataset> parts, List<String> classNames, String source) {
        long images = 0;
        for (CifarDataset part : parts) {
            images += part.size();
        }
        if (images * CifarFormat.IMAGE_BYTES > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(images + " images do not fit in one byte array");
        }
        byte[] pixels = new byte[(int) images * CifarFormat.IMAGE_BYTES];
        byte[] labels = new byte[(int) images];
        int at = 0;
        for (CifarDataset part : parts) {
            System.arraycopy(part.pixels, 0, pixels, at * CifarFormat.IMAGE_BYTES, part.pixels.length);
            System.arraycopy(part.labels, 0, labels, at, part.labels.length);
            at += part.size();
        }
        return new CifarDataset(pixels, labels, classNames, source);
    }

    /** The number of images. */
    public int size() {
        return labels.length;
    }

    /** The label of image i, 0..classNames().size()-1. */
    public int label(int i) {
        return labels[Objects.checkIndex(i, labels.length)] & 0xff;
    }

    /** Class names; label i is classNames().get(i). */
    public List<String> classNames() {
        return classNames;
    }

    /** Where the images came from: a path, "archive (member)" list or a generator description. */
    public String source() {
        return source;
    }

    /** How many images carry each label. */
    public int[] labelCounts() {
        int[] counts = new int[classNames.size()];
        for (byte label : labels) {
            counts[label & 0xff]++;
        }
        return counts;
    }

    /**
     * Writes image i as 3072 floats {@code (b & 0xff) / 255f} (the network's input convention,
     * CHW order) into {@code dst} from {@code offset}, so a batch can be filled without allocating.
     */
    public void imageAsFloats(int i, float[] dst, int offset) {
        int from = Objects.checkIndex(i, labels.length) * CifarFormat.IMAGE_BYTES;
        Objects.checkFromIndexSize(offset, CifarFormat.IMAGE_BYTES, dst.length);
        for (int k = 0; k < CifarFormat.IMAGE_BYTES; k++) {
            dst[offset + k] = UNIT_FLOATS[pixels[from + k] & 0xff];
        }
    }

    /** Copies the raw 3072 bytes of image i into {@code dst} from {@code offset}. */
    public void copyImage(int i, byte[] dst, int offset) {
        int from = Objects.checkIndex(i, labels.length) * CifarFormat.IMAGE_BYTES;
        System.arraycopy(pixels, from, dst, offset, CifarFormat.IMAGE_BYTES);
    }

    /** The raw 3072 bytes of image i, as a new array. */
    public byte[] image(int i) {
        byte[] image = new byte[CifarFormat.IMAGE_BYTES];
        copyImage(i, image, 0);
        return image;
    }

    @Override
    public String toString() {
        return "CifarDataset[" + size() + " images from " + source + "]";
    }
}
