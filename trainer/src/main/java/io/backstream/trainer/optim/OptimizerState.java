package io.backstream.trainer.optim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A complete, self-describing snapshot of an {@link Optimizer}: what {@link Optimizer#loadState}
 * needs to continue bit-identically (PyTorch's {@code optimizer.state_dict()} for one param group).
 *
 * <p>Buffers hold one value per parameter, in {@code Parameters.values()} order, named as in
 * PyTorch ({@code momentum_buffer}, {@code exp_avg}, ...). They are stored as double[] whatever the
 * dtype: a float32 value widens to double exactly, so float32 state round-trips bit for bit.
 * There are no buffers at step 0 (lazy state). Arrays are not copied by the record: treat a
 * snapshot as immutable.
 *
 * @param type optimizer type, {@link Optimizer#name()}
 * @param step steps taken
 * @param dataType {@code FLOAT} or {@code DOUBLE}, the parameters' ND4J dtype
 * @param parameterCount number of scalar parameters
 * @param hyperparameters name to Double or Boolean
 * @param buffers state buffer name to values
 */
public record OptimizerState(
        String type,
        long step,
        String dataType,
        long parameterCount,
        Map<String, Object> hyperparameters,
        Map<String, double[]> buffers) {

    private static final String MAGIC = "backstream.optimizer-state";
    private static final int VERSION = 1;

    public OptimizerState {
        if (type == null || dataType == null || hyperparameters == null || buffers == null) {
            throw new IllegalArgumentException("type, dataType, hyperparameters and buffers must not be null");
        }
        for (Map.Entry<String, Object> e : hyperparameters.entrySet()) {
            if (!(e.getValue() instanceof Double) && !(e.getValue() instanceof Boolean)) {
                throw new IllegalArgumentException("hyperparameter " + e.getKey() + " must be a Double or Boolean, got " + e.getValue());
            }
        }
        hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
        buffers = Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
    }

    /**
     * Serialises the snapshot (big-endian, via {@link DataOutputStream}): a header, the step, the
     * dtype, the hyper-parameters, then each buffer as float32 for FLOAT state or float64 for DOUBLE.
     */
    public byte[] toBytes() {
        boolean f32 = dataType.equals("FLOAT");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(type);
            out.writeLong(step);
            out.writeUTF(dataType);
            out.writeLong(parameterCount);
            out.writeInt(hyperparameters.size());
            for (Map.Entry<String, Object> e : hyperparameters.entrySet()) {
                out.writeUTF(e.getKey());
                if (e.getValue() instanceof Boolean b) {
                    out.writeByte('Z');
                    out.writeBoolean(b);
                } else {
                    out.writeByte('D');
                    out.writeDouble((Double) e.getValue());
                }
            }
            out.writeInt(buffers.size());
            for (Map.Entry<String, double[]> e : buffers.entrySet()) {
                double[] v = e.getValue();
                out.writeUTF(e.getKey());
                out.writeInt(v.length);
                for (double x : v) {
                    if (f32) out.writeFloat((float) x);
                    else out.writeDouble(x);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads what {@link #toBytes()} wrote. @throws IllegalArgumentException if the bytes are not such a snapshot */
    public static OptimizerState fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            String magic;
            try {
                magic = in.readUTF();
            } catch (IOException e) {
                magic = null;
            }
            if (!MAGIC.equals(magic)) throw new IllegalArgumentException("not an optimizer state (bad header)");
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("optimizer state version " + version + ", this code reads " + VERSION);
            }
            String type = in.readUTF();
            long step = in.readLong();
            String dataType = in.readUTF();
            if (!dataType.equals("FLOAT") && !dataType.equals("DOUBLE")) {
                throw new IllegalArgumentException("optimizer state has unknown dtype " + dataType);
            }
            boolean f32 = dataType.equals("FLOAT");
            long count = in.readLong();
            int nh = in.readInt();
            Map<String, Object> hyper = new LinkedHashMap<>();
            for (int i = 0; i < nh; i++) {
                String key = in.readUTF();
                int tag = in.readByte();
                if (tag == 'Z') hyper.put(key, in.readBoolean());
                else if (tag == 'D') hyper.put(key, in.readDouble());
                else throw new IllegalArgumentException("hyperparameter " + key + " has unknown tag " + tag);
            }
            int nb = in.readInt();
            Map<String, double[]> buffers = new LinkedHashMap<>();
            for (int b = 0; b < nb; b++) {
                String key = in.readUTF();
                int n = in.readInt();
                if (n != count) {
                    throw new IllegalArgumentException("buffer " + key + " has " + n + " values, state says " + count);
                }
                double[] v = new double[n];
                for (int i = 0; i < n; i++) v[i] = f32 ? in.readFloat() : in.readDouble();
                buffers.put(key, v);
            }
            if (in.read() != -1) throw new IllegalArgumentException("trailing bytes after optimizer state");
            return new OptimizerState(type, step, dataType, count, hyper, buffers);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated or corrupt optimizer state: " + e, e);
        }
    }
}
