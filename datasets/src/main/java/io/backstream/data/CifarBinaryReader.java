package io.backstream.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CIFAR-10 binary version: records of 1 label byte + 3072 pixel bytes, no header, no
 * delimiter. The length must be known up front (file size or tar entry size) so that a wrong
 * record size is caught before reading rather than as a confusing label error somewhere inside.
 */
final class CifarBinaryReader {

    /** Records per read: 1,024 records (3 MB) keeps the copy loop out of the per-record stream calls. */
    private static final int CHUNK_RECORDS = 1024;

    private CifarBinaryReader() {
    }

    /** Reads all records of a stream of {@code length} bytes (the stream is not closed). */
    static CifarDataset read(InputStream in, long length, String source, List<String> classNames) throws IOException {
        if (length % CifarFormat.RECORD_BYTES != 0) {
            long whole = length / CifarFormat.RECORD_BYTES;
            throw new DatasetFormatException(source, whole * CifarFormat.RECORD_BYTES,
                    "wrong record size: length " + length + " is not a multiple of " + CifarFormat.RECORD_BYTES
                            + " bytes (1 label + 3072 pixels); " + whole + " whole records, then "
                            + length % CifarFormat.RECORD_BYTES + " bytes left over");
        }
        if (length / CifarFormat.RECORD_BYTES > Integer.MAX_VALUE / CifarFormat.IMAGE_BYTES) {
            throw new DatasetFormatException(source, 0, "too large for one in-memory dataset: " + length + " bytes");
        }
        int count = (int) (length / CifarFormat.RECORD_BYTES);
        byte[] labels = new byte[count];
        byte[] pixels = new byte[count * CifarFormat.IMAGE_BYTES];
        PositionedInput input = new PositionedInput(in, source, -1);
        byte[] chunk = new byte[Math.min(count, CHUNK_RECORDS) * CifarFormat.RECORD_BYTES];
        for (int first = 0; first < count; first += CHUNK_RECORDS) {
            int n = Math.min(CHUNK_RECORDS, count - first);
            input.readFully(chunk, 0, n * CifarFormat.RECORD_BYTES, "record " + first + ".." + (first + n - 1)
                    + " of the " + count + " that the length " + length + " promises");
            for (int r = 0; r < n; r++) {
                int record = first + r;
                int label = chunk[r * CifarFormat.RECORD_BYTES] & 0xff;
                if (label >= CifarFormat.NUM_CLASSES) {
                    throw new DatasetFormatException(source, (long) record * CifarFormat.RECORD_BYTES,
                            "label " + label + " of record " + record + " is outside 0..9");
                }
                labels[record] = (byte) label;
                System.arraycopy(chunk, r * CifarFormat.RECORD_BYTES + 1, pixels, record * CifarFormat.IMAGE_BYTES,
                        CifarFormat.IMAGE_BYTES);
            }
        }
        if (!input.atEnd()) {
            throw new DatasetFormatException(source, length, "more data than the expected " + length + " bytes");
        }
        return new CifarDataset(pixels, labels, classNames, source);
    }

    /** batches.meta.txt: one class name per line, line i names label i; blank lines are padding. */
    static List<String> readClassNames(InputStream in, String source) throws IOException {
        List<String> names = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (!line.isBlank()) {
                names.add(line.strip());
            }
        }
        if (names.size() != CifarFormat.NUM_CLASSES) {
            throw new DatasetFormatException(source, -1,
                    "expected " + CifarFormat.NUM_CLASSES + " class names, one per line, found " + names.size());
        }
        return names;
    }
}
