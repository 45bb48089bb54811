package io.backstream.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("OnnxScorer scores the golden torch export like PyTorch did")
class OnnxScorerTest {
    static final Path GOLDEN = Path.of(System.getProperty("backstream.reference", "/work/shared/reference")).resolve("golden");
    static final int PIXELS = 3072;
    static byte[] pixels; // 96 images
    static byte[] labels; // 96 labels
    static OnnxScorer scorer;

    @BeforeAll
    static void load() throws Exception {
        byte[] records = Files.readAllBytes(GOLDEN.resolve("golden_train_96.bin"));
        int n = records.length / (PIXELS + 1);
        assertEquals(96, n);
        pixels = new byte[n * PIXELS];
        labels = new byte[n];
        for (int r = 0; r < n; r++) {
            labels[r] = records[r * (PIXELS + 1)];
            System.arraycopy(records, r * (PIXELS + 1) + 1, pixels, r * PIXELS, PIXELS);
        }
        scorer = new OnnxScorer(GOLDEN.resolve("model_init.onnx"));
    }

    @AfterAll
    static void close() throws Exception {
        scorer.close();
    }

    @Test
    @DisplayName("logits of batch 0 match init/logits_batch0.bin within 1e-6")
    void goldenLogits() throws Exception {
        float[] x = new float[8 * PIXELS];
        for (int i = 0; i < x.length; i++) x[i] = (pixels[i] & 0xff) / 255f;
        float[] actual = scorer.logits(x, 8);
        float[] expected = floats(GOLDEN.resolve("init/logits_batch0.bin"));
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-6, "logit " + i);
        assertEquals(10, scorer.classes());
        assertArrayEquals(new long[] {3, 32, 32}, scorer.imageShape());
    }

    @Test
    @DisplayName("score of batch 0: mean loss = manifest init.loss within 1e-6; accuracy and per-class from the golden logits")
    void scoreBatch0() throws Exception {
        // batch size 3: runs of 3, 3, 2 images exercise rebinding to a partial batch
        Score s = scorer.score(Arrays.copyOf(pixels, 8 * PIXELS), Arrays.copyOf(labels, 8), 3);
        assertEquals(8, s.count());
        assertEquals(initLoss(), s.loss(), 1e-6);

        float[] golden = floats(GOLDEN.resolve("init/logits_batch0.bin"));
        long[] count = new long[10];
        long[] correct = new long[10];
        for (int r = 0; r < 8; r++) {
            int argmax = 0;
            for (int k = 1; k < 10; k++) if (golden[r * 10 + k] > golden[r * 10 + argmax]) argmax = k;
            count[labels[r]]++;
            if (argmax == labels[r]) correct[labels[r]]++;
        }
        assertArrayEquals(new long[] {1, 2, 0, 1, 0, 2, 1, 0, 0, 1}, count, "labels of batch 0 are 5 0 5 6 3 1 1 9");
        assertArrayEquals(count, s.perClassCount());
        assertEquals(Arrays.stream(correct).sum(), s.correct());
        assertEquals(s.correct() / 8.0, s.accuracy());
        for (int k = 0; k < 10; k++) {
            assertEquals(count[k] == 0 ? Double.NaN : (double) correct[k] / count[k], s.perClassAccuracy()[k], "class " + k);
        }
    }

    @Test
    @DisplayName("the batch size does not change the score (all 96 images: batches of 256 vs 7)")
    void batchSizeIndependent() throws Exception {
        Score big = scorer.score(pixels, labels);
        Score small = scorer.score(pixels, labels, 7);
        assertEquals(96, big.count());
        assertEquals(big.correct(), small.correct());
        assertEquals(big.loss(), small.loss(), 1e-6);
        assertArrayEquals(big.perClassCount(), small.perClassCount());
    }

    @Test
    @DisplayName("data that does not fit the model input is rejected with both shapes")
    void wrongDataShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> scorer.score(new byte[4 * 784], new byte[4]));
        assertEquals("pixels: 3136 bytes for 4 labels (784 per image), but the model input [batch,3,32,32] needs 3072 per image"
                + " (12288 in all)", e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> scorer.logits(new float[100], 1));
        assertTrue(f.getMessage().startsWith("images: expected n*C*H*W = 1*3072 = 3072 floats"), f.getMessage());
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                () -> scorer.score(new byte[PIXELS], new byte[] {10}));
        assertEquals("label 10 is outside [0, 10) (the model has 10 outputs)", g.getMessage());
    }

    @Test
    @DisplayName("a model that is not [batch,C,H,W] -> [batch,classes] is rejected when opened")
    void wrongModelShapes(@TempDir Path dir) throws Exception {
        Path flat = makeModel(dir, "flat.onnx", "['batch', 3072]", "['batch', 3072]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OnnxScorer(flat));
        assertTrue(e.getMessage().startsWith("model input 'input' is TensorInfo(") && e.getMessage().endsWith("expected a float tensor [batch,C,H,W]"),
                e.getMessage());
        Path image = makeModel(dir, "image.onnx", "['batch', 3, 32, 32]", "['batch', 3, 32, 32]");
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> new OnnxScorer(image));
        assertTrue(f.getMessage().startsWith("model output 'logits' is TensorInfo(") && f.getMessage().endsWith("expected a float tensor [batch,classes]"),
                f.getMessage());
    }

    /** An Identity model built with python3-onnx (skipped if it is missing, unless CI=true). */
    static Path makeModel(Path dir, String name, String inShape, String outShape) throws IOException, InterruptedException {
        Path file = dir.resolve(name);
        String script = String.join("\n",
                "import onnx, sys",
                "from onnx import helper, TensorProto",
                "i = helper.make_tensor_value_info('input', TensorProto.FLOAT, " + inShape + ")",
                "o = helper.make_tensor_value_info('logits', TensorProto.FLOAT, " + outShape + ")",
                "g = helper.make_graph([helper.make_node('Identity', ['input'], ['logits'])], 'g', [i], [o])",
                "m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 13)])",
                "m.ir_version = 7",
                "onnx.save(m, sys.argv[1])");
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        if (p.exitValue() != 0) {
            String msg = "cannot build a test model with /usr/bin/python3 + python3-onnx: " + out;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(msg);
            Assumptions.assumeTrue(false, msg);
        }
        return file;
    }

    static double initLoss() throws IOException {
        String manifest = Files.readString(GOLDEN.resolve("manifest.json"));
        // "init": {"batch": 0, "loss": 2.31..., ...}: the first "loss" inside the init object
        Matcher m = Pattern.compile("\"init\"\\s*:\\s*\\{[^{}]*?\"loss\"\\s*:\\s*([-0-9.eE+]+)").matcher(manifest);
        assertTrue(m.find(), "manifest init.loss not found");
        return Double.parseDouble(m.group(1));
    }

    static float[] floats(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }
}
