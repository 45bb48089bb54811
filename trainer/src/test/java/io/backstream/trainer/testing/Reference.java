package io.backstream.trainer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PyTorch 1.13 golden vectors in {@code ../shared/reference/golden}, read in place (never copied
 * into the repository). Surefire passes the folder as system property {@code backstream.reference}.
 */
public final class Reference {
    private static final Path ROOT = Path.of(System.getProperty("backstream.reference", "../../shared/reference"));
    private static JsonNode manifest;

    private Reference() {}

    public static Path golden(String relative) {
        Path p = ROOT.resolve("golden").resolve(relative);
        if (!Files.exists(p)) throw new IllegalStateException("reference file missing: " + p.toAbsolutePath());
        return p;
    }

    public static synchronized JsonNode manifest() {
        if (manifest == null) {
            try {
                manifest = new ObjectMapper().readTree(golden("manifest.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return manifest;
    }

    /** A little-endian float32 file. */
    public static float[] floats(String relative) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(golden(relative))).order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[b.remaining() / 4];
            b.asFloatBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(golden(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parameter name → float32 values, for a manifest node mapping names to paths (e.g. params_init). */
    public static Map<String, float[]> params(JsonNode pathsByName) {
        Map<String, float[]> out = new LinkedHashMap<>();
        pathsByName.fields().forEachRemaining(e -> out.put(e.getKey(), floats(e.getValue().asText())));
        return out;
    }

    public static Map<String, float[]> paramsInit() {
        return params(manifest().get("params_init"));
    }

    public static double tolerance(String... path) {
        JsonNode n = manifest().get("suggested_tolerances");
        for (String key : path) n = n.get(key);
        return n.asDouble();
    }

    /** Records 8k .. 8k+7 of golden_train_96.bin as NCHW float32 x/255f, and their labels. */
    public static Batch batch(int k, int size) {
        byte[] all = bytes("golden_train_96.bin");
        float[] x = new float[size * 3072];
        int[] y = new int[size];
        for (int i = 0; i < size; i++) {
            int rec = (k * size + i) * 3073;
            y[i] = all[rec];
            for (int j = 0; j < 3072; j++) x[i * 3072 + j] = (all[rec + 1 + j] & 0xff) / 255f;
        }
        return new Batch(x, y);
    }

    public record Batch(float[] images, int[] labels) {}

    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new AssertionError("length " + a.length + " != " + b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs((double) a[i] - b[i]));
        return m;
    }
}
