package io.backstream.evaluator;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Runs an image classifier (ONNX: one float input {@code [batch,C,H,W]}, one float output
 * {@code [batch,classes]}) in ONNX Runtime and scores it on a labelled data set.
 *
 * <p>Input and output live in two direct buffers allocated once; ONNX Runtime reads and writes them
 * in place (the output is a pinned tensor), so scoring allocates nothing per batch. Not thread-safe:
 * one scorer per thread.
 */
public final class OnnxScorer implements AutoCloseable {
    public static final int DEFAULT_THREADS = 2;
    public static final int DEFAULT_BATCH = 256;

    /** uint8 → float input, {@code b / 255f}, by table. */
    private static final float[] UNIT = new float[256];

    static {
        for (int b = 0; b < 256; b++) UNIT[b] = b / 255f;
    }

    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    private final long channels, height, width;
    private final int classes;
    /** {@code > 0} if the model's batch dimension is fixed: every run uses exactly that many images (zero-padded). */
    private final int fixedBatch;

    private FloatBuffer in;
    private FloatBuffer out;
    private int boundN = -1;
    private OnnxTensor inTensor;
    private OnnxTensor outTensor;

    public OnnxScorer(Path model) throws IOException, OrtException {
        this(Files.readAllBytes(model), DEFAULT_THREADS);
    }

    public OnnxScorer(Path model, int intraOpThreads) throws IOException, OrtException {
        this(Files.readAllBytes(model), intraOpThreads);
    }

    /**
     * @throws IllegalArgumentException if the model is not one float {@code [batch,C,H,W]} input and
     *     one float {@code [batch,classes]} output with known C, H, W and classes
     */
    public OnnxScorer(byte[] model, int intraOpThreads) throws OrtException {
        if (intraOpThreads < 1) throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(intraOpThreads);
            opts.setInterOpNumThreads(1);
            this.session = env.createSession(model, opts);
        }
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            if (inputs.size() != 1) {
                throw new IllegalArgumentException("model has " + inputs.size() + " inputs " + inputs.keySet()
                        + ", expected one float [batch,C,H,W] image input");
            }
            if (outputs.size() != 1) {
                throw new IllegalArgumentException("model has " + outputs.size() + " outputs " + outputs.keySet()
                        + ", expected one float [batch,classes] logits output");
            }
            NodeInfo i = inputs.values().iterator().next();
            NodeInfo o = outputs.values().iterator().next();
            long[] is = floatShape(i, 4, "input", "[batch,C,H,W]");
            long[] os = floatShape(o, 2, "output", "[batch,classes]");
            if (is[1] < 1 || is[2] < 1 || is[3] < 1 || os[1] < 1 || os[1] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("model input '" + i.getName() + "' " + Arrays.toString(is) + " and output '"
                        + o.getName() + "' " + Arrays.toString(os) + ": C, H, W and classes must be fixed (only the batch may be symbolic)");
            }
            if (is[0] > 0 && os[0] > 0 && is[0] != os[0]) {
                throw new IllegalArgumentException("model input batch " + is[0] + " and output batch " + os[0] + " differ");
            }
            this.inputName = i.getName();
            this.outputName = o.getName();
            this.channels = is[1];
            this.height = is[2];
            this.width = is[3];
            this.classes = (int) os[1];
            this.fixedBatch = is[0] > 0 ? Math.toIntExact(is[0]) : 0;
        } catch (RuntimeException | OrtException e) {
            session.close();
            throw e;
        }
    }

    private static long[] floatShape(NodeInfo n, int rank, String role, String expected) {
        if (!(n.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT || t.getShape().length != rank) {
            throw new IllegalArgumentException("model " + role + " '" + n.getName() + "' is " + n.getInfo()
                    + ", expected a float tensor " + expected);
        }
        return t.getShape();
    }

    public int classes() {
        return classes;
    }

    /** Floats per image: C*H*W. */
    public int imageSize() {
        return Math.toIntExact(channels * height * width);
    }

    /** {@code [C,H,W]} of the model input. */
    public long[] imageShape() {
        return new long[] {channels, height, width};
    }

    /**
     * Logits {@code [n, classes]} (row-major) of {@code n} images given as floats {@code [n,C,H,W]},
     * run in batches of {@link #DEFAULT_BATCH}.
     */
    public float[] logits(float[] images, int n) throws OrtException {
        int size = imageSize();
        if (n < 0 || images.length != (long) n * size) {
            throw new IllegalArgumentException("images: expected n*C*H*W = " + n + "*" + size + " = " + (long) n * size
                    + " floats for the model input [batch," + channels + "," + height + "," + width + "], got " + images.length);
        }
        float[] logits = new float[n * classes];
        int batch = fixedBatch > 0 ? fixedBatch : DEFAULT_BATCH;
        for (int start = 0; start < n; start += batch) {
            int m = Math.min(batch, n - start);
            FloatBuffer x = input(m);
            x.put(images, start * size, m * size);
            run(m).get(logits, start * classes, m * classes);
        }
        return logits;
    }

    /** {@link #score(byte[], byte[], int)} in batches of {@link #DEFAULT_BATCH}. */
    public Score score(byte[] pixels, byte[] labels) throws OrtException {
        return score(pixels, labels, DEFAULT_BATCH);
    }

    /**
     * Scores the model on images given as uint8 pixels ({@code labels.length} records of C*H*W bytes,
     * CHW order; {@code x = (b & 0xff) / 255f}) and their labels (uint8), {@code batchSize} images per run.
     */
    public Score score(byte[] pixels, byte[] labels, int batchSize) throws OrtException {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        int size = imageSize();
        int n = labels.length;
        if (pixels.length != (long) n * size) {
            throw new IllegalArgumentException("pixels: " + pixels.length + " bytes for " + n + " labels"
                    + (n > 0 && pixels.length % n == 0 ? " (" + pixels.length / n + " per image)" : "")
                    + ", but the model input [batch," + channels + "," + height + "," + width + "] needs " + size
                    + " per image (" + (long) n * size + " in all)");
        }
        int batch = fixedBatch > 0 ? fixedBatch : batchSize;
        ScoreAccumulator acc = new ScoreAccumulator(classes);
        float[] row = new float[batch * classes];
        float[] images = new float[Math.min(batch, n) * size];
        for (int start = 0; start < n; start += batch) {
            int m = Math.min(batch, n - start);
            FloatBuffer x = input(m);
            // convert on the heap, then one bulk copy into the direct buffer (per-float puts cost ~2x)
            for (int i = 0, p = start * size, count = m * size; i < count; i++, p++) images[i] = UNIT[pixels[p] & 0xff];
            x.put(images, 0, m * size);
            run(m).get(row, 0, m * classes);
            for (int s = 0; s < m; s++) acc.add(row, s * classes, labels[start + s] & 0xff);
        }
        return acc.result();
    }

    /** The input buffer, cleared, for {@code m} images. */
    private FloatBuffer input(int m) throws OrtException {
        bind(fixedBatch > 0 ? fixedBatch : m);
        in.clear();
        if (fixedBatch > m) {
            // zero the padding images of a partial batch of a fixed-batch model
            for (int i = m * imageSize(), end = fixedBatch * imageSize(); i < end; i++) in.put(i, 0f);
        }
        return in;
    }

    /** Runs the bound batch; returns the output buffer positioned at 0 with the first {@code m} rows readable. */
    private FloatBuffer run(int m) throws OrtException {
        try (OrtSession.Result r = session.run(Map.of(inputName, inTensor), Map.of(outputName, outTensor))) {
            // the pinned output is not owned by the result: closing it leaves outTensor and out intact
        }
        out.clear();
        out.limit(m * classes);
        return out;
    }

    /** Makes the input/output tensors views of the shared buffers with batch {@code n} (reallocating only to grow). */
    private void bind(int n) throws OrtException {
        if (n == boundN) return;
        int size = imageSize();
        if (in == null || in.capacity() < (long) n * size) {
            in = ByteBuffer.allocateDirect(Math.multiplyExact(n * size, Float.BYTES)).order(ByteOrder.nativeOrder()).asFloatBuffer();
            out = ByteBuffer.allocateDirect(Math.multiplyExact(n * classes, Float.BYTES)).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        closeTensors();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        inTensor = OnnxTensor.createTensor(env, in.duplicate().clear().limit(n * size).slice(), new long[] {n, channels, height, width});
        outTensor = OnnxTensor.createTensor(env, out.duplicate().clear().limit(n * classes).slice(), new long[] {n, classes});
        boundN = n;
    }

    private void closeTensors() {
        if (inTensor != null) inTensor.close();
        if (outTensor != null) outTensor.close();
        inTensor = null;
        outTensor = null;
        boundN = -1;
    }

    @Override
    public void close() throws OrtException {
        closeTensors();
        session.close();
    }
}
