package io.backstream.trainer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The PyTorch golden vectors of {@code shared/reference/golden}, read in place (never copied into
 * the repository). The directory comes from system property {@code backstream.reference} (set by
 * surefire to {@code <repo>/../shared/reference}), falling back to {@code /work/shared/reference}.
 */
public final class Golden {
    private static volatile JsonNode manifest;

    private Golden() {}

    /** {@code .../shared/reference}. */
    public static Path referenceDir() {
        String prop = System.getProperty("backstream.reference");
        Path dir = prop == null || prop.isBlank() ? Path.of("/work/shared/reference") : Path.of(prop);
        if (!Files.isDirectory(dir.resolve("golden"))) {
            Path fallback = Path.of("/work/shared/reference");
            if (Files.isDirectory(fallback.resolve("golden"))) return fallback;
            throw new IllegalStateException("no golden/ under " + dir.toAbsolutePath() + " (set -Dbackstream.reference)");
        }
        return dir;
    }

    public static Path goldenDir() {
        return referenceDir().resolve("golden");
    }

    /** {@code golden/manifest.json}, parsed once. */
    public static JsonNode manifest() {
        JsonNode m = manifest;
        if (m == null) {
            try {
                m = new ObjectMapper().readTree(goldenDir().resolve("manifest.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            manifest = m;
        }
        return m;
    }

    /** A little-endian float32 file, path relative to {@code golden/} as in the manifest. */
    public static float[] floats(String relativePath) {
        try {
            byte[] bytes = Files.readAllBytes(goldenDir().resolve(relativePath));
            if (bytes.length % 4 != 0) throw new IllegalStateException(relativePath + ": " + bytes.length + " bytes is not float32");
            float[] out = new float[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entry of {@code manifest.optimizers} with this name. */
    public static JsonNode optimizer(String name) {
        for (JsonNode o : manifest().get("optimizers")) if (o.get("name").asText().equals(name)) return o;
        throw new IllegalArgumentException("no optimizer config '" + name + "' in the manifest");
    }
}
