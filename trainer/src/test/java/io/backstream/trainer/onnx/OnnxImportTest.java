package io.backstream.trainer.onnx;

import io.backstream.trainer.testing.Golden;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.backstream.trainer.nn.Parameters;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import onnx.Onnx;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("OnnxImport loads torch.onnx.export files by graph structure, and rejects everything else untouched")
class OnnxImportTest {
    private static final byte[] GOLDEN = Golden.bytes("model_init.onnx");

    @Test
    @DisplayName("golden model_init.onnx (torch names 0.weight..8.bias) loads bitwise equal to params_init")
    void goldenModelLoadsBitwise() throws Exception {
        Parameters params = Golden.zeroParams();
        OnnxImport.load(Golden.file("model_init.onnx"), Golden.CIFAR_NET, params);
        Map<String, float[]> expected = Golden.paramsInit();
        Map<String, float[]> actual = params.toFloatArrays();
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            assertArrayEquals(bits(expected.get(name)), bits(actual.get(name)), name);
        }
    }

    @Test
    @DisplayName("float_data initializers load like raw_data")
    void floatDataIsAccepted() {
        byte[] model = mutate(g -> {
            Onnx.TensorProto t = g.getInitializer(0);
            float[] v = new float[(int) t.getRawData().size() / 4];
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            Onnx.TensorProto.Builder b = t.toBuilder().clearRawData();
            for (float f : v) b.addFloatData(f);
            g.setInitializer(0, b);
        });
        Parameters params = Golden.zeroParams();
        OnnxImport.load(model, Golden.CIFAR_NET, params);
        assertArrayEquals(bits(Golden.paramsInit().get("conv1.weight")), bits(params.get("conv1.weight").toFloatArray()));
    }

    @Test
    @DisplayName("initializers are found through the consuming node, whatever they are called")
    void initializersMappedByNodeNotName() {
        // swap the names of fc1 and fc2 weights in both initializers and node inputs: still loads correctly
        byte[] model = mutate(g -> {
            renameInitializer(g, "7.weight", "tmp");
            renameInitializer(g, "8.weight", "7.weight");
            renameInitializer(g, "tmp", "8.weight");
        });
        Parameters params = Golden.zeroParams();
        OnnxImport.load(model, Golden.CIFAR_NET, params);
        assertArrayEquals(bits(Golden.paramsInit().get("fc1.weight")), bits(params.get("fc1.weight").toFloatArray()));
        assertArrayEquals(bits(Golden.paramsInit().get("fc2.weight")), bits(params.get("fc2.weight").toFloatArray()));
    }

    @Test
    @DisplayName("truncated file: not a valid ONNX model, corrupt or truncated protobuf")
    void truncated() {
        byte[] half = Arrays.copyOf(GOLDEN, GOLDEN.length / 2);
        String msg = rejects(half);
        assertTrue(msg.startsWith("not a valid ONNX model: corrupt or truncated protobuf"), msg);
    }

    @Test
    @DisplayName("garbage bytes and empty input: not a valid ONNX model")
    void garbage() {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        assertTrue(rejects(noise).startsWith("not a valid ONNX model"), rejects(noise));
        byte[] text = "this is a text file, not a model\n".getBytes();
        assertTrue(rejects(text).startsWith("not a valid ONNX model"), rejects(text));
        assertEquals("not a valid ONNX model: no bytes", rejects(new byte[0]));
    }

    @Test
    @DisplayName("wrong op order: names the first differing node and both op sequences")
    void wrongOpOrder() {
        byte[] model = mutate(g -> {
            Onnx.NodeProto pool = g.getNode(1);
            g.setNode(1, g.getNode(2));
            g.setNode(2, pool);
        });
        assertEquals("graph does not match the architecture: node 1 '/2/Conv' is Conv, expected MaxPool;"
                + " expected ops [Conv, MaxPool, Conv, MaxPool, Conv, MaxPool, Flatten, Gemm, Gemm],"
                + " found [Conv, Conv, MaxPool, MaxPool, Conv, MaxPool, Flatten, Gemm, Gemm]", rejects(model));
    }

    @Test
    @DisplayName("an extra node (e.g. a Relu the architecture does not have) is rejected")
    void extraNode() {
        byte[] model = mutate(g -> g.addNode(Onnx.NodeProto.newBuilder().setName("/9/Relu").setOpType("Relu")
                .addInput("logits").addOutput("relu_out")));
        assertTrue(rejects(model).startsWith("graph does not match the architecture: extra node 9 '/9/Relu' (Relu)"), rejects(model));
    }

    @Test
    @DisplayName("wrong kernel size: names node, attribute, expected and found")
    void wrongKernel() {
        byte[] model = mutate(g -> g.setNode(2, setInts(g.getNode(2), "kernel_shape", 3, 3)));
        assertEquals("node 2 Conv '/2/Conv' (layer Conv[weight=conv2.weight, bias=conv2.bias, kernel=5, stride=1, padding=2]):"
                + " attribute kernel_shape: expected [5, 5], found [3, 3]", rejects(model));
    }

    @Test
    @DisplayName("other attribute mismatches: Gemm without transB, Flatten axis, MaxPool stride, Conv group")
    void otherAttributes() {
        assertTrue(rejects(mutate(g -> g.setNode(8, g.getNode(8).toBuilder().removeAttribute(2))))
                .endsWith("attribute transB: expected 1, found 0 (the default)"));
        assertTrue(rejects(mutate(g -> g.setNode(6, g.getNode(6).toBuilder().setAttribute(0,
                g.getNode(6).getAttribute(0).toBuilder().setI(2))))).endsWith("attribute axis: expected 1, found 2"));
        assertTrue(rejects(mutate(g -> g.setNode(3, setInts(g.getNode(3), "strides", 1, 1))))
                .endsWith("attribute strides: expected [2, 2], found [1, 1]"));
        assertTrue(rejects(mutate(g -> g.setNode(0, g.getNode(0).toBuilder().setAttribute(1,
                g.getNode(0).getAttribute(1).toBuilder().setI(3))))).endsWith("attribute group: expected 1, found 3"));
    }

    @Test
    @DisplayName("missing initializer: names node, input and parameter")
    void missingInitializer() {
        byte[] model = mutate(g -> g.removeInitializer(indexOf(g, "4.bias")));
        assertEquals("node 4 Conv '/4/Conv' (layer Conv[weight=conv3.weight, bias=conv3.bias, kernel=5, stride=1, padding=2]):"
                + " bias (input 2) '4.bias' for parameter 'conv3.bias': expected an initializer,"
                + " found no initializer of that name (missing initializer)", rejects(model));
    }

    @Test
    @DisplayName("wrong initializer shape: expected vs found shape")
    void wrongInitializerShape() {
        byte[] model = mutate(g -> {
            int i = indexOf(g, "7.weight");
            g.setInitializer(i, g.getInitializer(i).toBuilder().clearDims().addDims(1024).addDims(64));
        });
        assertEquals("node 7 Gemm '/7/Gemm' (layer Gemm[weight=fc1.weight, bias=fc1.bias]): weight (input 1) '7.weight'"
                + " for parameter 'fc1.weight': expected shape [64, 1024], found [1024, 64]", rejects(model));
    }

    @Test
    @DisplayName("wrong dtype and wrong data length are named")
    void wrongDtypeAndLength() {
        byte[] dbl = mutate(g -> {
            int i = indexOf(g, "8.bias");
            g.setInitializer(i, g.getInitializer(i).toBuilder().setDataType(Onnx.TensorProto.DataType.DOUBLE_VALUE)
                    .setRawData(ByteString.copyFrom(new byte[80])));
        });
        assertTrue(rejects(dbl).endsWith("bias (input 2) '8.bias' for parameter 'fc2.bias': expected dtype FLOAT, found DOUBLE"),
                rejects(dbl));
        byte[] shortData = mutate(g -> {
            int i = indexOf(g, "8.bias");
            g.setInitializer(i, g.getInitializer(i).toBuilder().setRawData(ByteString.copyFrom(new byte[36])));
        });
        assertTrue(rejects(shortData).endsWith("expected 40 bytes of raw_data (10 floats), found 36"), rejects(shortData));
    }

    @Test
    @DisplayName("wrong graph input shape and unused initializers are rejected")
    void graphInputAndUnusedInitializer() {
        byte[] model = mutate(g -> {
            Onnx.ValueInfoProto.Builder in = g.getInput(0).toBuilder();
            in.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(2).setDimValue(28);
            in.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(3).setDimValue(28);
            g.setInput(0, in);
        });
        assertEquals("graph input 'input': expected float [batch,3,32,32], found float [batch,3,28,28]", rejects(model));
        byte[] unused = mutate(g -> g.addInitializer(g.getInitializer(0).toBuilder().setName("stray")));
        assertEquals("initializer 'stray' is not used by any Conv/Gemm node as weight or bias", rejects(unused));
    }

    @Test
    @DisplayName("an architecture that does not fit the Parameters is the caller's error (IllegalArgumentException)")
    void architectureMismatchWithParameters() {
        List<OnnxLayer> wrong = List.of(new OnnxLayer.Conv("conv1.weight", "conv1.bias", 3, 1, 1));
        Parameters params = Golden.zeroParams();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxImport.load(GOLDEN, wrong, params));
        assertTrue(e.getMessage().contains("weight 'conv1.weight' has shape [32, 3, 5, 5], expected [out,3,3,3]"), e.getMessage());
    }

    // ---- helpers ----

    /** Asserts the model is rejected with an OnnxFormatException and that a sentinel-filled Parameters is untouched. */
    static String rejects(byte[] model) {
        Parameters params = Golden.zeroParams();
        params.values().assign(7f);
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxImport.load(model, Golden.CIFAR_NET, params));
        float[] after = params.values().dup().data().asFloat();
        for (float f : after) assertEquals(7f, f, "parameters must be unchanged after a failed import");
        return e.getMessage();
    }

    static byte[] mutate(Consumer<Onnx.GraphProto.Builder> change) {
        try {
            Onnx.ModelProto.Builder m = Onnx.ModelProto.parseFrom(GOLDEN).toBuilder();
            Onnx.GraphProto.Builder g = m.getGraph().toBuilder();
            change.accept(g);
            return m.setGraph(g).build().toByteArray();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    static int indexOf(Onnx.GraphProto.Builder g, String initializer) {
        for (int i = 0; i < g.getInitializerCount(); i++) if (g.getInitializer(i).getName().equals(initializer)) return i;
        throw new AssertionError("no initializer " + initializer);
    }

    static void renameInitializer(Onnx.GraphProto.Builder g, String from, String to) {
        int i = indexOf(g, from);
        g.setInitializer(i, g.getInitializer(i).toBuilder().setName(to));
        for (int n = 0; n < g.getNodeCount(); n++) {
            Onnx.NodeProto.Builder node = g.getNode(n).toBuilder();
            for (int k = 0; k < node.getInputCount(); k++) if (node.getInput(k).equals(from)) node.setInput(k, to);
            g.setNode(n, node);
        }
    }

    static Onnx.NodeProto setInts(Onnx.NodeProto node, String attribute, long... values) {
        Onnx.NodeProto.Builder b = node.toBuilder();
        for (int i = 0; i < b.getAttributeCount(); i++) {
            if (b.getAttribute(i).getName().equals(attribute)) {
                Onnx.AttributeProto.Builder a = b.getAttribute(i).toBuilder().clearInts();
                for (long v : values) a.addInts(v);
                b.setAttribute(i, a);
            }
        }
        return b.build();
    }

    static int[] bits(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Float.floatToRawIntBits(v[i]);
        return out;
    }

    static float[] le(ByteBuffer b) {
        float[] out = new float[b.remaining() / 4];
        b.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
