package io.backstream.trainer.service;

import io.backstream.events.Batch;
import io.backstream.events.BatchCodec;
import io.backstream.events.Cifar10;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Every kind of batch record a run must refuse, each made from a good batch of a run of
 * {@value #RUN_EPOCHS} epochs at batch size {@value #RUN_BATCH_SIZE}, with the exact reason the
 * trainer must give for it.
 *
 * <p>NaN pixels are not among them: pixels travel as uint8 and become {@code x / 255}, so no record
 * can decode to a NaN pixel ({@code BatchFillerTest} checks every byte value).
 */
enum BadBatchRecord {
    WRONG_SIZE("a record 100 bytes shorter than its count says (wrong size)") {
        @Override
        byte[] bytes(Batch good) {
            byte[] r = BatchCodec.encode(good);
            return Arrays.copyOf(r, r.length - 100);
        }

        @Override
        String reason(Batch good) {
            int header = BatchCodec.headerBytes(good.runId());
            int expected = BatchCodec.encodedBytes(good.runId(), good.count());
            return "length mismatch: expected " + expected + " bytes for count " + good.count() + " (header " + header + " + "
                    + good.count() + " x " + Cifar10.RECORD_BYTES + "), got " + (expected - 100);
        }
    },
    NOT_A_BATCH("JSON where a batch belongs (bad header: wrong magic)") {
        @Override
        byte[] bytes(Batch good) {
            return "{\"runId\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        }

        @Override
        String reason(Batch good) {
            return "wrong magic: expected 42 53 42 (\"BSB\"), got 7b 22 72";
        }
    },
    CORRUPTED_HEADER("a header byte flipped in transit (bad header: CRC mismatch)") {
        @Override
        byte[] bytes(Batch good) {
            byte[] r = BatchCodec.encode(good);
            r[batchesLowByte(good)] ^= 0x04;   // "batches" 3 becomes 7: well-formed, but not what was sent
            return r;
        }

        @Override
        String reason(Batch good) {
            byte[] sent = BatchCodec.encode(good);
            return String.format("CRC mismatch: stored 0x%08x, computed 0x%08x (record corrupted)",
                    ByteBuffer.wrap(sent).getInt(crcAt(good)), crc(bytes(good), crcAt(good)));
        }
    },
    UNKNOWN_VERSION("a record of format version 2 (unknown version)") {
        @Override
        byte[] bytes(Batch good) {
            byte[] r = BatchCodec.encode(good);
            r[3] = 2;
            return r;
        }

        @Override
        String reason(Batch good) {
            return "unknown version 2 (this codec reads version 1)";
        }
    },
    LABEL_OUTSIDE_0_TO_9("label 10 at position 3, with a CRC that matches (labels outside 0..9)") {
        @Override
        byte[] bytes(Batch good) {
            byte[] r = BatchCodec.encode(good);
            r[BatchCodec.headerBytes(good.runId()) + 3] = 10;
            ByteBuffer.wrap(r).putInt(crcAt(good), crc(r, crcAt(good)));
            return r;
        }

        @Override
        String reason(Batch good) {
            return "label 10 outside 0..9 at position 3";
        }
    },
    EPOCH_THE_RUN_DOES_NOT_HAVE("a well-formed batch of epoch 9 in a 2-epoch run") {
        @Override
        byte[] bytes(Batch good) {
            return BatchCodec.encode(new Batch(good.runId(), 9, good.index(), good.batches(), good.firstRecord(), good.count(),
                    good.labels(), good.pixels()));
        }

        @Override
        String reason(Batch good) {
            return "epoch 9 outside the run's 1.." + RUN_EPOCHS;
        }
    },
    MORE_IMAGES_THAN_THE_BATCH_SIZE("a well-formed batch of 16 images in a run of batch size 8") {
        @Override
        byte[] bytes(Batch good) {
            byte[] labels = new byte[2 * good.count()];
            byte[] pixels = new byte[2 * good.pixels().length];
            for (int copy = 0; copy < 2; copy++) {
                System.arraycopy(good.labels(), 0, labels, copy * good.count(), good.count());
                System.arraycopy(good.pixels(), 0, pixels, copy * good.pixels().length, good.pixels().length);
            }
            return BatchCodec.encode(new Batch(good.runId(), good.epoch(), good.index(), good.batches(), good.firstRecord(),
                    2 * good.count(), labels, pixels));
        }

        @Override
        String reason(Batch good) {
            return "count " + 2 * good.count() + " above the run's batchSize " + RUN_BATCH_SIZE;
        }
    };

    static final int RUN_EPOCHS = 2;
    static final int RUN_BATCH_SIZE = 8;

    private final String description;

    BadBatchRecord(String description) {
        this.description = description;
    }

    /** The bad record, made from a good batch of the run. */
    abstract byte[] bytes(Batch good);

    /** What the dead letter (and a failed run) must say about it, exactly. */
    abstract String reason(Batch good);

    @Override
    public String toString() {
        return description;
    }

    /** Where the CRC sits: the header's last 4 bytes (BatchCodec's layout). */
    private static int crcAt(Batch b) {
        return BatchCodec.headerBytes(b.runId()) - 4;
    }

    /** The low byte of the "batches" field (offset 14 + runId length, 4 bytes big-endian). */
    private static int batchesLowByte(Batch b) {
        return 14 + b.runId().getBytes(StandardCharsets.UTF_8).length + 3;
    }

    /** CRC-32 of the record without its 4 CRC bytes, as BatchCodec computes it. */
    private static int crc(byte[] record, int crcAt) {
        CRC32 crc = new CRC32();
        crc.update(record, 0, crcAt);
        crc.update(record, crcAt + 4, record.length - crcAt - 4);
        return (int) crc.getValue();
    }
}
