package io.backstream.evaluator.service;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.backstream.evaluator.OnnxScorer;
import io.backstream.evaluator.Score;
import io.backstream.events.Cifar10;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Scoring throughput of {@link OnnxScorer} against plain ONNX Runtime ({@code session.run} on a
 * fresh tensor per batch, the usual way to call it), same model, same images, batch 256, both with
 * {@value OnnxScorer#DEFAULT_THREADS} intra-op threads.
 *
 * <pre>java ... io.backstream.evaluator.service.ScoringBench [model.onnx] [images] [repetitions]</pre>
 *
 * Defaults: the golden {@code model_init.onnx} under {@code -Dbackstream.reference}
 * (/work/shared/reference), 2560 images (the golden 96 repeated), 5 timed repetitions after one
 * warm-up each; the median repetition counts.
 */
public final class ScoringBench {

    static final int BATCH = 256;

    public static void main(String[] args) throws Exception {
        Path golden = Path.of(System.getProperty("backstream.reference", "/work/shared/reference")).resolve("golden");
        Path model = args.length > 0 ? Path.of(args[0]) : golden.resolve("model_init.onnx");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2560;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        run(model, images(golden.resolve("golden_train_96.bin"), n), reps, System.out);
    }

    /** Runs both and prints the two rates and their ratio; returns the ratio. */
    static double run(Path model, TestSet images, int reps, PrintStream out) throws Exception {
        byte[] onnx = Files.readAllBytes(model);
        double ours;
        double raw;
        try (OnnxScorer scorer = new OnnxScorer(onnx, OnnxScorer.DEFAULT_THREADS);
             Raw plain = new Raw(onnx, OnnxScorer.DEFAULT_THREADS)) {
            Score a = scorer.score(images.pixels(), images.labels(), BATCH);
            long b = plain.correct(images);
            if (a.correct() != b) throw new IllegalStateException("the two disagree: " + a.correct() + " vs " + b + " correct");
            double[] oursS = new double[reps];
            double[] rawS = new double[reps];
            for (int r = 0; r < reps; r++) {   // interleaved, so both see the same machine load
                long t0 = System.nanoTime();
                scorer.score(images.pixels(), images.labels(), BATCH);
                long t1 = System.nanoTime();
                plain.correct(images);
                long t2 = System.nanoTime();
                oursS[r] = (t1 - t0) / 1e9;
                rawS[r] = (t2 - t1) / 1e9;
            }
            ours = images.count() / median(oursS);
            raw = images.count() / median(rawS);
        }
        double ratio = ours / raw;
        out.printf("model %s, %d images, batch %d, %d repetitions (median)%n", model, images.count(), BATCH, reps);
        out.printf("evaluator score images_per_s=%.1f%n", ours);
        out.printf("onnxruntime raw images_per_s=%.1f%n", raw);
        out.printf("ratio evaluator/raw=%.3f (target >= 0.9)%n", ratio);
        return ratio;
    }

    /** {@code n} images cycling through the records of a CIFAR binary file. */
    static TestSet images(Path cifarBin, int n) throws java.io.IOException {
        byte[] records = Files.readAllBytes(cifarBin);
        int have = records.length / Cifar10.RECORD_BYTES;
        byte[] labels = new byte[n];
        byte[] pixels = new byte[n * Cifar10.IMAGE_BYTES];
        for (int i = 0; i < n; i++) {
            int r = (i % have) * Cifar10.RECORD_BYTES;
            labels[i] = records[r];
            System.arraycopy(records, r + 1, pixels, i * Cifar10.IMAGE_BYTES, Cifar10.IMAGE_BYTES);
        }
        return new TestSet(cifarBin.getFileName().toString(), labels, pixels);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The plain way: a float[] and a new tensor per batch, session.run, logits as float[][]. */
    static final class Raw implements AutoCloseable {
        private final OrtEnvironment env = OrtEnvironment.getEnvironment();
        private final OrtSession session;
        private final String input;

        Raw(byte[] onnx, int threads) throws OrtException {
            try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
                opts.setIntraOpNumThreads(threads);
                opts.setInterOpNumThreads(1);
                session = env.createSession(onnx, opts);
            }
            input = session.getInputNames().iterator().next();
        }

        long correct(TestSet t) throws OrtException {
            long correct = 0;
            for (int start = 0; start < t.count(); start += BATCH) {
                int m = Math.min(BATCH, t.count() - start);
                float[] x = new float[m * Cifar10.IMAGE_BYTES];
                for (int i = 0, p = start * Cifar10.IMAGE_BYTES; i < x.length; i++, p++) x[i] = (t.pixels()[p] & 0xff) / 255f;
                try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {m, 3, 32, 32});
                     OrtSession.Result r = session.run(Map.of(input, tensor))) {
                    float[][] logits = (float[][]) r.get(0).getValue();
                    for (int i = 0; i < m; i++) {
                        int best = 0;
                        for (int k = 1; k < logits[i].length; k++) if (logits[i][k] > logits[i][best]) best = k;
                        if (best == t.labels()[start + i]) correct++;
                    }
                }
            }
            return correct;
        }

        @Override
        public void close() throws OrtException {
            session.close();
        }
    }

    private ScoringBench() {}
}
