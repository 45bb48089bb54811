package io.backstream.trainer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backstream.trainer.nn.Parameter;
import io.backstream.trainer.nn.Parameters;
import io.backstream.trainer.onnx.OnnxLayer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The PyTorch 1.13 golden vectors of {@code shared/reference/golden}, read in place (never copied
 * into the repository). The directory comes from system property {@code backstream.reference}
 * (surefire sets it to {@code <repo>/../shared/reference}).
 */
public final class Golden {
    public static final int PIXELS = 3 * 32 * 32;

    /** THE model as ONNX nodes, written out independently of the engine's TutorialCnn. */
    public static final List<OnnxLayer> CIFAR_NET = List.of(
            new OnnxLayer.Conv("conv1.weight", "conv1.bias", 5, 1, 2),
            new OnnxLayer.MaxPool(2, 2),
            new OnnxLayer.Conv("conv2.weight", "conv2.bias", 5, 1, 2),
            new OnnxLayer.MaxPool(2, 2),
            new OnnxLayer.Conv("conv3.weight", "conv3.bias", 5, 1, 2),
            new OnnxLayer.MaxPool(2, 2),
            new OnnxLayer.Flatten(),
            new OnnxLayer.Gemm("fc1.weight", "fc1.bias"),
            new OnnxLayer.Gemm("fc2.weight", "fc2.bias"));

    private static volatile JsonNode manifest;

    private Golden() {}

    /** {@code .../shared/reference}. */
    public static Path referenceDir() {
        Path dir = Path.of(System.getProperty("backstream.reference", "../../shared/reference"));
        if (!Files.isDirectory(dir.resolve("golden"))) {
            throw new IllegalStateException("no golden/ under " + dir.toAbsolutePath() + " (set -Dbackstream.reference)");
        }
        return dir;
    }

    public static Path goldenDir() {
        return referenceDir().resolve("golden");
    }

    /** A file under {@code golden/}, by the relative path the manifest uses. */
    public static Path file(String relative) {
        return goldenDir().resolve(relative);
    }

    /** {@code golden/manifest.json}, parsed once. */
    public static JsonNode manifest() {
        JsonNode m = manifest;
        if (m == null) {
            try {
                m = new ObjectMapper().readTree(file("manifest.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            manifest = m;
        }
        return m;
    }

    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A little-endian float32 file. */
    public static float[] floats(String relative) {
        byte[] bytes = bytes(relative);
        if (bytes.length % 4 != 0) throw new IllegalStateException(relative + ": " + bytes.length + " bytes is not float32");
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** The entry of {@code manifest.optimizers} with this name. */
    public static JsonNode optimizer(String name) {
        for (JsonNode o : manifest().get("optimizers")) if (o.get("name").asText().equals(name)) return o;
        throw new IllegalArgumentException("no optimizer config '" + name + "' in the manifest");
    }

    /** Parameter name → values, for a manifest node mapping names to paths (e.g. params_init). */
    public static Map<String, float[]> params(JsonNode pathsByName) {
        Map<String, float[]> out = new LinkedHashMap<>();
        pathsByName.fields().forEachRemaining(e -> out.put(e.getKey(), floats(e.getValue().asText())));
        return out;
    }

    public static Map<String, float[]> paramsInit() {
        return params(manifest().get("params_init"));
    }

    /** Fresh zero parameters with the manifest's names and shapes, in model.parameters() order. */
    public static Parameters zeroParams() {
        List<Parameter> list = new ArrayList<>();
        for (JsonNode p : manifest().path("model").path("params")) {
            long[] shape = new long[p.path("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = p.path("shape").get(i).asLong();
            list.add(new Parameter(p.path("name").asText(), Nd4j.create(DataType.FLOAT, shape)));
        }
        return Parameters.pack(list);
    }

    public static Parameters initParams() {
        Parameters p = zeroParams();
        p.load(paramsInit());
        return p;
    }

    /** {@code manifest.suggested_tolerances} at the given path, e.g. ("init", "loss_abs"). */
    public static double tolerance(String... path) {
        JsonNode n = manifest().get("suggested_tolerances");
        for (String key : path) n = n.get(key);
        return n.asDouble();
    }

    /** Records size·k .. size·k+size−1 of golden_train_96.bin as NCHW x = u8/255f, and their labels. */
    public static Batch batch(int k, int size) {
        byte[] all = bytes("golden_train_96.bin");
        float[] x = new float[size * PIXELS];
        int[] y = new int[size];
        for (int i = 0; i < size; i++) {
            int rec = (k * size + i) * (PIXELS + 1);
            y[i] = all[rec];
            for (int j = 0; j < PIXELS; j++) x[i * PIXELS + j] = (all[rec + 1 + j] & 0xff) / 255f;
        }
        return new Batch(x, y);
    }

    /** Batch {@code k} of the golden batches (batch size 8). */
    public static float[] batchImages(int k) {
        return batch(k, 8).images();
    }

    public record Batch(float[] images, int[] labels) {}

    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new AssertionError("length " + a.length + " != " + b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs((double) a[i] - b[i]));
        return m;
    }
}
