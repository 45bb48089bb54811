package io.backstream.data;

import java.io.IOException;

/**
 * A dataset file that cannot be read as what it claims to be. The message always names the
 * file (and the archive member, if any) and, where one exists, the byte offset of the problem,
 * so a user can find it with a hex editor instead of guessing.
 */
public class DatasetFormatException extends IOException {

    private final String source;
    private final long offset;

    /**
     * @param source the file, or "archive (member name)", where the problem is
     * @param offset byte offset of the problem within {@code source}, or -1 when there is none
     *               (a missing file or member)
     */
    public DatasetFormatException(String source, long offset, String problem) {
        this(source, offset, problem, null);
    }

    public DatasetFormatException(String source, long offset, String problem, Throwable cause) {
        super(describe(source, offset, problem), cause);
        this.source = source;
        this.offset = offset;
    }

    private static String describe(String source, long offset, String problem) {
        return offset < 0 ? source + ": " + problem : source + " at byte offset " + offset + ": " + problem;
    }

    /** The file, or "archive (member name)", where the problem is. */
    public String source() {
        return source;
    }

    /** Byte offset of the problem within {@link #source()}, or -1 when the problem has no position. */
    public long offset() {
        return offset;
    }
}
