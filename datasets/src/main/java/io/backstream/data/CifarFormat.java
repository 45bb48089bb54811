package io.backstream.data;

import java.util.List;

/** The fixed geometry of CIFAR-10 images and records, shared by every reader and writer. */
public final class CifarFormat {

    public static final int WIDTH = 32;
    public static final int HEIGHT = 32;
    public static final int CHANNELS = 3;
    /** One image: the red plane, then green, then blue, each 32x32 row-major. */
    public static final int IMAGE_BYTES = CHANNELS * HEIGHT * WIDTH;
    /** One binary-version record: a label byte followed by the image. */
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    public static final int NUM_CLASSES = 10;
    /** Label i names class i; the order of the genuine batches.meta / batches.meta.txt. */
    public static final List<String> CLASS_NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");
    /** The number of training batch files in both on-disk versions. */
    public static final int TRAIN_BATCHES = 5;

    private CifarFormat() {
    }
}
