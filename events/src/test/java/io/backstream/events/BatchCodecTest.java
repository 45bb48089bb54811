package io.backstream.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The binary batch record: exact size, round trip, and a precise message for every kind of damage. */
class BatchCodecTest {

    private static final String RUN = "run-1";
    /** 3 magic + 1 version + 2 length + 5 "run-1" + 4 epoch + 4 index + 8 firstRecord + 4 count + 4 CRC */
    private static final int HEADER = 39;

    private static Batch batch(int count, long seed) {
        Random random = new Random(seed);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = (byte) random.nextInt(10);
        byte[] pixels = new byte[count * Cifar10.IMAGE_BYTES];
        random.nextBytes(pixels);
        return new Batch(RUN, 3, 7, 8, 1792, count, labels, pixels);
    }

    private static String decodeError(byte[] record) {
        return assertThrows(MalformedRecordException.class, () -> BatchCodec.decode(record)).getMessage();
    }

    /** Rewrites the CRC after a deliberate change, so the check under test is the one that fires. */
    private static byte[] withValidCrc(byte[] record) {
        int crcAt = HEADER - 4;
        CRC32 crc = new CRC32();
        crc.update(record, 0, crcAt);
        crc.update(record, crcAt + 4, record.length - crcAt - 4);
        ByteBuffer.wrap(record).putInt(crcAt, (int) crc.getValue());
        return record;
    }

    @Test
    void aBatchRoundTrips() {
        Batch original = batch(5, 1);
        Batch decoded = BatchCodec.decode(BatchCodec.encode(original));
        assertEquals(original, decoded);
        assertArrayEquals(original.pixels(), decoded.pixels());
    }

    @Test
    void a256ImageBatchIsTheHeaderPlus3073BytesPerImage() {
        byte[] record = BatchCodec.encode(batch(256, 2));
        assertEquals(HEADER, BatchCodec.headerBytes(RUN));
        assertEquals(HEADER + 256 * 3073, record.length);
        assertEquals(record.length, BatchCodec.encodedBytes(RUN, 256));
        assertEquals(batch(256, 2), BatchCodec.decode(record));
    }

    @Test
    void theLayoutIsTheDocumentedOne() {
        Batch b = batch(2, 3);
        ByteBuffer r = ByteBuffer.wrap(BatchCodec.encode(b));
        byte[] magic = new byte[3];
        r.get(magic);
        assertEquals("BSB", new String(magic, StandardCharsets.US_ASCII));
        assertEquals(1, r.get());
        assertEquals(5, r.getShort());
        byte[] runId = new byte[5];
        r.get(runId);
        assertEquals(RUN, new String(runId, StandardCharsets.UTF_8));
        assertEquals(3, r.getInt());
        assertEquals(7, r.getInt());
        assertEquals(8, r.getInt());
        assertEquals(1792L, r.getLong());
        assertEquals(2, r.getInt());
        r.getInt();   // CRC
        assertEquals(b.labels()[0], r.get());
        assertEquals(b.labels()[1], r.get());
        assertEquals(b.pixels()[0], r.get());
        assertEquals(2 * 3072, r.remaining() + 1);
    }

    @Test
    void aTestSetChunkIsABatchOfEpochZeroKeyedByDataset() {
        Batch b = batch(4, 4);
        Batch chunk = Batch.testSetChunk("syncifar-v1-test", 2, 4, 8, b.labels(), b.pixels());
        assertEquals(0, chunk.epoch());
        assertEquals(4, chunk.count());
        assertEquals(chunk, BatchCodec.decode(BatchCodec.encode(chunk)));
    }

    @Test
    void aNonAsciiRunIdRoundTrips() {
        Batch b = batch(1, 5);
        Batch unicode = new Batch("lauf-ü-λ", 1, 0, 1, 0, 1, b.labels(), b.pixels());
        assertEquals(unicode, BatchCodec.decode(BatchCodec.encode(unicode)));
    }

    @Test
    void anyFlippedByteIsACrcMismatch() {
        byte[] good = BatchCodec.encode(batch(3, 6));
        // a pixel, a label, and header fields the other checks would not catch (index, firstRecord)
        for (int at : new int[] {good.length - 1, HEADER + 1, 16, 22}) {
            byte[] bad = good.clone();
            bad[at] ^= 0x01;
            String message = decodeError(bad);
            assertEquals(true, message.startsWith("CRC mismatch: stored 0x"), at + ": " + message);
            assertEquals(true, message.endsWith("(record corrupted)"), message);
        }
    }

    @Test
    void truncationIsReportedWithTheByteWhereItHappened() {
        byte[] good = BatchCodec.encode(batch(2, 7));
        assertEquals("truncated header at byte 0: magic needs 3 byte(s), record has 0 left (0 in all)",
                decodeError(new byte[0]));
        assertEquals("truncated header at byte 0: magic needs 3 byte(s), record has 2 left (2 in all)",
                decodeError(Arrays.copyOf(good, 2)));
        assertEquals("truncated header at byte 3: version needs 1 byte(s), record has 0 left (3 in all)",
                decodeError(Arrays.copyOf(good, 3)));
        assertEquals("truncated header at byte 6: runId needs 5 byte(s), record has 3 left (9 in all)",
                decodeError(Arrays.copyOf(good, 9)));
        assertEquals("truncated header at byte 19: batches needs 4 byte(s), record has 1 left (20 in all)",
                decodeError(Arrays.copyOf(good, 20)));
        assertEquals("truncated header at byte 35: CRC needs 4 byte(s), record has 2 left (37 in all)",
                decodeError(Arrays.copyOf(good, 37)));
        assertEquals("length mismatch: expected 6185 bytes for count 2 (header 39 + 2 x 3073), got 1000",
                decodeError(Arrays.copyOf(good, 1000)));
        assertEquals("length mismatch: expected 6185 bytes for count 2 (header 39 + 2 x 3073), got 6184",
                decodeError(Arrays.copyOf(good, good.length - 1)));
    }

    @Test
    void extraBytesAreALengthMismatchToo() {
        byte[] good = BatchCodec.encode(batch(2, 8));
        assertEquals("length mismatch: expected 6185 bytes for count 2 (header 39 + 2 x 3073), got 6186",
                decodeError(Arrays.copyOf(good, good.length + 1)));
    }

    @Test
    void aCountThatDisagreesWithTheLengthIsALengthMismatch() {
        byte[] record = BatchCodec.encode(batch(2, 9));
        ByteBuffer.wrap(record).putInt(HEADER - 8, 3);
        assertEquals("length mismatch: expected 9258 bytes for count 3 (header 39 + 3 x 3073), got 6185",
                decodeError(withValidCrc(record)));
    }

    @Test
    void wrongMagicShowsWhatCameInstead() {
        byte[] json = "{\"type\":\"step\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("wrong magic: expected 42 53 42 (\"BSB\"), got 7b 22 74", decodeError(json));
        assertEquals("wrong magic: expected 42 53 42 (\"BSB\"), got 58", decodeError(new byte[] {'X'}));
    }

    @Test
    void anUnknownVersionIsNamed() {
        byte[] record = BatchCodec.encode(batch(1, 10));
        record[3] = 2;
        assertEquals("unknown version 2 (this codec reads version 1)", decodeError(record));
    }

    @Test
    void aLabelOutside0To9IsNamedWithItsPosition() {
        byte[] record = BatchCodec.encode(batch(3, 11));
        record[HEADER + 2] = 10;
        assertEquals("label 10 outside 0..9 at position 2", decodeError(withValidCrc(record)));
        record[HEADER + 2] = (byte) 0xFF;
        assertEquals("label -1 outside 0..9 at position 2", decodeError(withValidCrc(record)));
    }

    @Test
    void countOutOfRangeIsNamed() {
        byte[] record = BatchCodec.encode(batch(1, 12));
        ByteBuffer.wrap(record).putInt(HEADER - 8, -1);
        assertEquals("negative count -1", decodeError(record));
        ByteBuffer.wrap(record).putInt(HEADER - 8, 0);
        assertEquals("count 0: a batch holds at least one image", decodeError(record));
        ByteBuffer.wrap(record).putInt(HEADER - 8, 4097);
        assertEquals("count 4097 above the maximum 4096", decodeError(record));
    }

    @Test
    void anEpochEndsAtItsLastBatch() {
        assertTrue(new Batch(RUN, 1, 7, 8, 0, 1, new byte[1], new byte[3072]).lastOfEpoch());
        assertFalse(new Batch(RUN, 1, 6, 8, 0, 1, new byte[1], new byte[3072]).lastOfEpoch());
        byte[] record = BatchCodec.encode(batch(1, 13));
        ByteBuffer.wrap(record).putInt(19, 7); // batches = index: no such batch
        assertEquals("batches 7 not above index 7", decodeError(withValidCrc(record)));
    }

    @Test
    void negativeHeaderNumbersAreNamed() {
        byte[] record = BatchCodec.encode(batch(1, 13));
        ByteBuffer.wrap(record).putInt(11, -1);
        assertEquals("negative epoch -1", decodeError(record));
        record = BatchCodec.encode(batch(1, 13));
        ByteBuffer.wrap(record).putLong(23, -5);
        assertEquals("negative firstRecord -5", decodeError(record));
    }

    @Test
    void aRunIdThatIsNotUtf8OrEmptyIsNamed() {
        byte[] record = BatchCodec.encode(batch(1, 14));
        record[6] = (byte) 0xC3;   // a lead byte followed by ASCII
        assertEquals("runId at byte 6: not valid UTF-8", decodeError(record));
        byte[] empty = {'B', 'S', 'B', 1, 0, 0};
        assertEquals("empty runId at byte 6", decodeError(empty));
    }

    @Test
    void theLargestBatchRoundTrips() {
        Batch big = batch(BatchCodec.MAX_COUNT, 15);
        assertEquals(big, BatchCodec.decode(BatchCodec.encode(big)));
    }

    @Test
    void anInvalidBatchCannotBeBuilt() {
        byte[] pixels = new byte[3072];
        assertEquals("labels: label 10 outside 0..9 at position 0",
                assertThrows(IllegalArgumentException.class, () -> new Batch(RUN, 1, 0, 1, 0, 1, new byte[] {10}, pixels)).getMessage());
        assertEquals("pixels: expected 3072 bytes for count 1, got 3071",
                assertThrows(IllegalArgumentException.class, () -> new Batch(RUN, 1, 0, 1, 0, 1, new byte[1], new byte[3071])).getMessage());
        assertEquals("count: must be 1..4096, got 0",
                assertThrows(IllegalArgumentException.class, () -> new Batch(RUN, 1, 0, 1, 0, 0, new byte[0], new byte[0])).getMessage());
    }
}
