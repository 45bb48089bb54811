package io.backstream.events;

/** The shape of one CIFAR-10 example as it travels: a label byte and 32x32x3 uint8 pixels. */
public final class Cifar10 {

    /** Labels are 0..9. */
    public static final int CLASSES = 10;

    /** Pixels of one image: 1024 red, then 1024 green, then 1024 blue, rows top to bottom (CIFAR's own order). */
    public static final int IMAGE_BYTES = 32 * 32 * 3;

    /** A label byte followed by the image, as one example costs in a batch record. */
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;

    private Cifar10() {}
}
