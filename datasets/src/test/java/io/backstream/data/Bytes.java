package io.backstream.data;

import java.nio.charset.StandardCharsets;

/** Finding pickle fragments in test files, so a test can corrupt exactly one known byte. */
final class Bytes {

    private Bytes() {
    }

    /** Offset of the first occurrence of {@code latin1} in {@code bytes}; fails if absent. */
    static int indexOf(byte[] bytes, String latin1) {
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf(latin1);
        if (at < 0) {
            throw new AssertionError("fragment not found: " + latin1);
        }
        return at;
    }

    static byte[] remove(byte[] bytes, int from, int length) {
        byte[] out = new byte[bytes.length - length];
        System.arraycopy(bytes, 0, out, 0, from);
        System.arraycopy(bytes, from + length, out, from, bytes.length - from - length);
        return out;
    }
}
