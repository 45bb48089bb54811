package io.backstream.trainer.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backstream.trainer.nn.Parameter;
import io.backstream.trainer.nn.Parameters;
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

/** The golden vectors of /work/shared/reference, read in place (system property {@code backstream.reference}). */
final class Golden {
    static final Path ROOT = Path.of(System.getProperty("backstream.reference", "/work/shared/reference")).resolve("golden");
    static final JsonNode MANIFEST = readManifest();
    static final int PIXELS = 3 * 32 * 32;

    /** THE model: Conv(5,pad 2), MaxPool(2) x3, Flatten, Linear(1024,64), Linear(64,10); no activations. */
    static final List<OnnxLayer> CIFAR_NET = List.of(
            new OnnxLayer.Conv("conv1.weight", "conv1.bias", 5, 1, 2),
            new OnnxLayer.MaxPool(2, 2),
            new OnnxLayer.Conv("conv2.weight", "conv2.bias", 5, 1, 2),
            new OnnxLayer.MaxPool(2, 2),
            new OnnxLayer.Conv("conv3.weight", "conv3.bias", 5, 1, 2),
            new OnnxLayer.MaxPool(2, 2),
            new OnnxLayer.Flatten(),
            new OnnxLayer.Gemm("fc1.weight", "fc1.bias"),
            new OnnxLayer.Gemm("fc2.weight", "fc2.bias"));

    private Golden() {}

    private static JsonNode readManifest() {
        try {
            return new ObjectMapper().readTree(ROOT.resolve("manifest.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("golden manifest not found under " + ROOT + " (set -Dbackstream.reference)", e);
        }
    }

    static Path file(String relative) {
        return ROOT.resolve(relative);
    }

    static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] floats(String relative) {
        ByteBuffer b = ByteBuffer.wrap(bytes(relative)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    /** Fresh zero parameters with the manifest's names and shapes, in model.parameters() order. */
    static Parameters zeroParams() {
        List<Parameter> list = new ArrayList<>();
        for (JsonNode p : MANIFEST.path("model").path("params")) {
            long[] shape = new long[p.path("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = p.path("shape").get(i).asLong();
            list.add(new Parameter(p.path("name").asText(), Nd4j.create(DataType.FLOAT, shape)));
        }
        return Parameters.pack(list);
    }

    /** params_init/*.bin by parameter name. */
    static Map<String, float[]> paramsInit() {
        Map<String, float[]> out = new LinkedHashMap<>();
        MANIFEST.path("params_init").fields().forEachRemaining(e -> out.put(e.getKey(), floats(e.getValue().asText())));
        return out;
    }

    static Parameters initParams() {
        Parameters p = zeroParams();
        p.load(paramsInit());
        return p;
    }

    /** Batch {@code b} (records 8b..8b+7) of golden_train_96.bin as x = u8/255f, NCHW. */
    static float[] batchImages(int b) {
        byte[] all = bytes(MANIFEST.path("data").path("file").asText("golden_train_96.bin"));
        float[] x = new float[8 * PIXELS];
        for (int r = 0; r < 8; r++) {
            int rec = (8 * b + r) * (PIXELS + 1);
            for (int i = 0; i < PIXELS; i++) x[r * PIXELS + i] = (all[rec + 1 + i] & 0xff) / 255f;
        }
        return x;
    }
}
