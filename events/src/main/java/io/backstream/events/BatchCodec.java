package io.backstream.events;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The binary record of a {@link Batch}: pixels stay bytes (never JSON floats), so a 256-image batch
 * is 786 KB plus a header of ~50 bytes. All integers are big-endian.
 *
 * <pre>
 * offset  size  field
 * 0       3     magic "BSB" (42 53 42)
 * 3       1     version, 1
 * 4       2     runId length L, unsigned
 * 6       L     runId, UTF-8
 * 6+L     4     epoch (int)
 * 10+L    4     index (int), 0-based within the epoch
 * 14+L    4     batches (int): how many the epoch has, > index
 * 18+L    8     firstRecord (long)
 * 26+L    4     count N (int), 1..4096
 * 30+L    4     CRC-32 (java.util.zip.CRC32) of every other byte of the record
 * 34+L    N     labels, one byte each, 0..9
 * 34+L+N  3072N pixels, uint8, image after image in CIFAR order
 * </pre>
 *
 * The CRC sits in the header rather than after the pixels so a record is exactly
 * {@code header + N * 3073} bytes; it covers the header too, so a flipped epoch or count is caught
 * like a flipped pixel. Decoding checks every field and throws {@link MalformedRecordException}
 * saying what is wrong and where.
 */
public final class BatchCodec {

    public static final String MAGIC = "BSB";
    public static final int VERSION = 1;
    /** The largest batch, {@link RunSpec#MAX_BATCH_SIZE}. */
    public static final int MAX_COUNT = RunSpec.MAX_BATCH_SIZE;
    public static final int MAX_RUN_ID_BYTES = 0xFFFF;

    private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);
    /** Every header byte except the runId's. */
    private static final int FIXED_HEADER_BYTES = 3 + 1 + 2 + 4 + 4 + 4 + 8 + 4 + 4;

    /** The header's size for this runId. */
    public static int headerBytes(String runId) {
        return FIXED_HEADER_BYTES + runId.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The whole record's size: {@code headerBytes(runId) + count * 3073}. */
    public static int encodedBytes(String runId, int count) {
        return headerBytes(runId) + count * Cifar10.RECORD_BYTES;
    }

    public static byte[] encode(Batch batch) {
        byte[] runId = batch.runId().getBytes(StandardCharsets.UTF_8);
        int header = FIXED_HEADER_BYTES + runId.length;
        byte[] record = new byte[header + batch.count() * Cifar10.RECORD_BYTES];
        ByteBuffer out = ByteBuffer.wrap(record);
        out.put(MAGIC_BYTES).put((byte) VERSION).putShort((short) runId.length).put(runId)
                .putInt(batch.epoch()).putInt(batch.index()).putInt(batch.batches()).putLong(batch.firstRecord()).putInt(batch.count());
        int crcAt = out.position();
        out.position(header);
        out.put(batch.labels()).put(batch.pixels());
        out.putInt(crcAt, (int) crc(record, crcAt));
        return record;
    }

    public static Batch decode(byte[] record) {
        if (record == null) throw new MalformedRecordException("batch record: null value");
        Reader in = new Reader(record);

        // magic first, on whatever bytes there are: a JSON value sent to this topic should say
        // "wrong magic", not "truncated"
        int seen = Math.min(record.length, MAGIC_BYTES.length);
        if (!Arrays.equals(record, 0, seen, MAGIC_BYTES, 0, seen)) {
            throw new MalformedRecordException("wrong magic: expected " + hex(MAGIC_BYTES, 0, 3) + " (\"" + MAGIC
                    + "\"), got " + hex(record, 0, seen));
        }
        in.skip(MAGIC_BYTES.length, "magic");
        int version = in.u8("version");
        if (version != VERSION) {
            throw new MalformedRecordException("unknown version " + version + " (this codec reads version " + VERSION + ")");
        }
        int runIdLength = in.u16("runId length");
        if (runIdLength == 0) throw new MalformedRecordException("empty runId at byte 6");
        String runId = in.utf8(runIdLength, "runId");
        int epoch = in.int32("epoch");
        int index = in.int32("index");
        int batches = in.int32("batches");
        long firstRecord = in.int64("firstRecord");
        int count = in.int32("count");
        int crcAt = in.position();
        int storedCrc = in.int32("CRC");
        if (epoch < 0) throw new MalformedRecordException("negative epoch " + epoch);
        if (index < 0) throw new MalformedRecordException("negative index " + index);
        if (firstRecord < 0) throw new MalformedRecordException("negative firstRecord " + firstRecord);
        if (count < 0) throw new MalformedRecordException("negative count " + count);
        if (count == 0) throw new MalformedRecordException("count 0: a batch holds at least one image");
        if (count > MAX_COUNT) throw new MalformedRecordException("count " + count + " above the maximum " + MAX_COUNT);

        int header = in.position();
        int expected = header + count * Cifar10.RECORD_BYTES;
        if (record.length != expected) {
            throw new MalformedRecordException("length mismatch: expected " + expected + " bytes for count " + count
                    + " (header " + header + " + " + count + " x " + Cifar10.RECORD_BYTES + "), got " + record.length);
        }
        int computedCrc = (int) crc(record, crcAt);
        if (computedCrc != storedCrc) {
            throw new MalformedRecordException(String.format("CRC mismatch: stored 0x%08x, computed 0x%08x (record corrupted)",
                    storedCrc, computedCrc));
        }
        if (batches <= index) throw new MalformedRecordException("batches " + batches + " not above index " + index);
        int bad = firstBadLabel(record, header, count);
        if (bad >= 0) {
            throw new MalformedRecordException("label " + record[header + bad] + " outside 0..9 at position " + bad);
        }
        byte[] labels = Arrays.copyOfRange(record, header, header + count);
        byte[] pixels = Arrays.copyOfRange(record, header + count, expected);
        return new Batch(runId, epoch, index, batches, firstRecord, count, labels, pixels);
    }

    /** CRC-32 of the record without its 4 CRC bytes at {@code crcAt}. */
    private static long crc(byte[] record, int crcAt) {
        CRC32 crc = new CRC32();
        crc.update(record, 0, crcAt);
        crc.update(record, crcAt + 4, record.length - crcAt - 4);
        return crc.getValue();
    }

    /** Position (relative to {@code from}) of the first label outside 0..9, or -1. */
    static int firstBadLabel(byte[] bytes, int from, int count) {
        for (int i = 0; i < count; i++) {
            int label = bytes[from + i];   // signed: 0x80..0xFF are negative and so also out of range
            if (label < 0 || label >= Cifar10.CLASSES) return i;
        }
        return -1;
    }

    private static String hex(byte[] bytes, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(String.format("%02x", bytes[i] & 0xFF));
        }
        return sb.length() == 0 ? "nothing" : sb.toString();
    }

    /** Header fields in order; running out of bytes says which field and where. */
    private static final class Reader {
        private final ByteBuffer in;

        Reader(byte[] record) {
            this.in = ByteBuffer.wrap(record);
        }

        int position() {
            return in.position();
        }

        private void need(int bytes, String field) {
            if (in.remaining() < bytes) {
                throw new MalformedRecordException("truncated header at byte " + in.position() + ": " + field + " needs "
                        + bytes + " byte(s), record has " + in.remaining() + " left (" + in.limit() + " in all)");
            }
        }

        void skip(int bytes, String field) {
            need(bytes, field);
            in.position(in.position() + bytes);
        }

        int u8(String field) {
            need(1, field);
            return in.get() & 0xFF;
        }

        int u16(String field) {
            need(2, field);
            return in.getShort() & 0xFFFF;
        }

        int int32(String field) {
            need(4, field);
            return in.getInt();
        }

        long int64(String field) {
            need(8, field);
            return in.getLong();
        }

        String utf8(int bytes, String field) {
            need(bytes, field);
            int at = in.position();
            ByteBuffer slice = in.slice().limit(bytes);
            in.position(at + bytes);
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(slice).toString();
            } catch (CharacterCodingException | BufferUnderflowException e) {
                throw new MalformedRecordException(field + " at byte " + at + ": not valid UTF-8");
            }
        }
    }

    private BatchCodec() {}
}
