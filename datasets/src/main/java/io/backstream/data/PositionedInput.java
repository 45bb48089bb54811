package io.backstream.data;

import java.io.IOException;
import java.io.InputStream;

/**
 * A buffered reader over one file or archive member that knows its byte offset, so every
 * format error can say where it is. Running out of bytes is reported as a
 * {@link DatasetFormatException} ("truncated") rather than an EOFException without context.
 */
final class PositionedInput {

    private final InputStream in;
    private final String source;
    private final long knownLength;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private long bufferStart;

    /**
     * @param knownLength the total length if known (file size, tar entry size), else -1; with it a
     *                    huge length field is reported as truncation before anything is allocated
     */
    PositionedInput(InputStream in, String source, long knownLength) {
        this.in = in;
        this.source = source;
        this.knownLength = knownLength;
    }

    String source() {
        return source;
    }

    /** Offset of the next byte to be read. */
    long position() {
        return bufferStart + pos;
    }

    /** True when no byte is left. */
    boolean atEnd() throws IOException {
        return pos == limit && !fill();
    }

    int readUnsignedByte(String what) throws IOException {
        if (pos == limit && !fill()) {
            throw truncated(1, what);
        }
        return buffer[pos++] & 0xff;
    }

    int readUnsignedShortLE(String what) throws IOException {
        require(2, what);
        return readUnsignedByte(what) | readUnsignedByte(what) << 8;
    }

    int readIntLE(String what) throws IOException {
        require(4, what);
        return readUnsignedByte(what) | readUnsignedByte(what) << 8 | readUnsignedByte(what) << 16
                | readUnsignedByte(what) << 24;
    }

    /** Reads exactly {@code length} bytes into {@code dst}; big reads bypass the buffer. */
    void readFully(byte[] dst, int offset, int length, String what) throws IOException {
        require(length, what);
        long start = position();
        int done = Math.min(length, limit - pos);
        System.arraycopy(buffer, pos, dst, offset, done);
        pos += done;
        if (done == length) {
            return;
        }
        // Buffer drained: read the rest straight into dst, then restart the buffer after it.
        bufferStart = start + done;
        pos = 0;
        limit = 0;
        while (done < length) {
            int n = in.read(dst, offset + done, length - done);
            if (n < 0) {
                throw new DatasetFormatException(source, start + done,
                        "truncated: the data ends inside " + what + " (" + length + " bytes from offset " + start
                                + ", only " + done + " present)");
            }
            done += n;
            bufferStart = start + done;
        }
    }

    byte[] readBytes(int length, String what) throws IOException {
        byte[] bytes = new byte[length];
        readFully(bytes, 0, length, what);
        return bytes;
    }

    /** A line ending in '\n' (the newline is dropped), at most maxLength bytes, as latin-1 text. */
    String readLine(int maxLength, String what) throws IOException {
        long start = position();
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = readUnsignedByte(what);
            if (b == '\n') {
                return line.toString();
            }
            if (line.length() == maxLength) {
                throw new DatasetFormatException(source, start, what + " is longer than " + maxLength + " bytes");
            }
            line.append((char) b);
        }
    }

    /** Fails early, before allocating, when the known length cannot hold {@code length} more bytes. */
    private void require(long length, String what) throws DatasetFormatException {
        if (knownLength >= 0 && position() + length > knownLength) {
            throw new DatasetFormatException(source, knownLength,
                    "truncated: the data ends inside " + what + " (" + length + " bytes needed from offset "
                            + position() + ", only " + (knownLength - position()) + " present)");
        }
    }

    private DatasetFormatException truncated(int length, String what) {
        return new DatasetFormatException(source, position(),
                "truncated: the data ends inside " + what + " (" + length + " more byte(s) needed)");
    }

    private boolean fill() throws IOException {
        bufferStart += limit;
        pos = 0;
        limit = 0;
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            // read() may return 0 only for a zero-length request; treat both as the end.
            return false;
        }
        limit = n;
        return true;
    }
}
