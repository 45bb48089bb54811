package io.backstream.trainer.service;

import io.backstream.events.RunSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.CRC32;

/**
 * Everything a run needs to continue bit for bit, as one record on {@code runs.checkpoints}: its
 * spec, the weights, every optimizer buffer, the step and epoch counters (with the epoch's running
 * loss so far, so its summary comes out exact), and where its input continues (the offset after
 * the last batch trained, in its partition of training.batches).
 *
 * <p>Binary, big-endian: {@code "BSCK"}, version, the fields below in order, the weights as float32,
 * the optimizer state ({@code OptimizerState.toBytes()}), then a CRC-32 of everything before it.
 *
 * @param weights every parameter, flat, in {@code Parameters.values()} order
 * @param optimizerState {@code OptimizerState.toBytes()} of the run's optimizer
 */
record Checkpoint(String runId, RunSpec spec, long createdAt, StepCounters counters, int partition, long nextOffset,
                  float[] weights, byte[] optimizerState) {

    private static final int MAGIC = 0x4253434B; // "BSCK"
    private static final int VERSION = 1;

    long step() {
        return counters.step();
    }

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(weights.length * 4 + optimizerState.length + 1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(runId);
            out.writeUTF(spec.toJson());
            out.writeLong(createdAt);
            out.writeLong(counters.step());
            out.writeInt(counters.lastEpoch());
            out.writeInt(counters.lastIndex());
            out.writeInt(counters.lastBatches());
            out.writeInt(counters.epochSteps());
            out.writeDouble(counters.runningLoss());
            out.writeLong(counters.epochImages());
            out.writeLong(counters.epochNanos());
            out.writeInt(partition);
            out.writeLong(nextOffset);
            out.writeInt(weights.length);
            for (float w : weights) out.writeFloat(w);
            out.writeInt(optimizerState.length);
            out.write(optimizerState);
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** What a checkpoint says about its run, without its weights: enough to list a run that has ended. */
    record Head(String runId, RunSpec spec, long createdAt, long step) {}

    /**
     * The head of a checkpoint, read without its weights or CRC (those are checked when the whole is
     * {@link #parse parsed}).
     *
     * @throws IllegalArgumentException naming what is wrong (magic, version, truncation, spec)
     */
    static Head head(byte[] data) {
        try (DataInputStream in = body(data)) {
            return new Head(in.readUTF(), RunSpec.parse(in.readUTF()), in.readLong(), in.readLong());
        } catch (EOFException e) {
            throw new IllegalArgumentException("checkpoint: truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything before the CRC, read past the magic and version (both checked). */
    private static DataInputStream body(byte[] data) throws IOException {
        if (data == null || data.length < 16) throw new IllegalArgumentException("checkpoint: " + (data == null ? 0 : data.length) + " bytes, too short");
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, 0, data.length - 8));
        if (in.readInt() != MAGIC) throw new IllegalArgumentException("checkpoint: bad magic (not a Backstream checkpoint)");
        int version = in.readInt();
        if (version != VERSION) throw new IllegalArgumentException("checkpoint: unknown version " + version + " (this trainer reads " + VERSION + ")");
        return in;
    }

    /** @throws IllegalArgumentException naming what is wrong (magic, version, CRC, truncation) */
    static Checkpoint parse(byte[] data) {
        try (DataInputStream in = body(data)) {
            CRC32 crc = new CRC32();
            crc.update(data, 0, data.length - 8);
            long stored = java.nio.ByteBuffer.wrap(data, data.length - 8, 8).getLong();
            if (crc.getValue() != stored) throw new IllegalArgumentException("checkpoint: CRC mismatch (corrupt record)");
            String runId = in.readUTF();
            RunSpec spec = RunSpec.parse(in.readUTF());
            long createdAt = in.readLong();
            StepCounters counters = new StepCounters(in.readLong(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                    in.readDouble(), in.readLong(), in.readLong());
            int partition = in.readInt();
            long nextOffset = in.readLong();
            float[] weights = new float[in.readInt()];
            for (int i = 0; i < weights.length; i++) weights[i] = in.readFloat();
            byte[] optimizer = new byte[in.readInt()];
            in.readFully(optimizer);
            if (in.available() != 0) throw new IllegalArgumentException("checkpoint: " + in.available() + " unexpected bytes at the end");
            return new Checkpoint(runId, spec, createdAt, counters, partition, nextOffset, weights, optimizer);
        } catch (EOFException e) {
            throw new IllegalArgumentException("checkpoint: truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
