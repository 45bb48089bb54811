package io.backstream.trainer.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.backstream.trainer.nn.Parameter;
import io.backstream.trainer.nn.Parameters;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx;

/**
 * Loads the weights of an ONNX model (as {@code torch.onnx.export} or {@link OnnxExport} writes it)
 * into {@link Parameters}, for a given architecture.
 *
 * <p>The graph must be exactly the architecture: one node per {@link OnnxLayer}, in order, each
 * consuming the previous node's output, with the layer's attributes. Weights are found through the
 * node that consumes them ({@code Conv}/{@code Gemm} input 1 = weight, input 2 = bias), never by
 * initializer name, so torch's {@code 0.weight} loads into {@code conv1.weight}. Initializers must be
 * float32 with the parameter's exact shape, stored as {@code raw_data} (little-endian) or
 * {@code float_data}.
 *
 * <p>Tolerated extras, because they do not change what the graph computes: attributes present with
 * their ONNX default values (Conv {@code dilations=1}, {@code group=1}, {@code auto_pad=NOTSET};
 * MaxPool {@code pads=0}, {@code ceil_mode=0}, {@code dilations=1}, {@code storage_order=0}; Gemm
 * {@code transA=0}), initializers also listed as graph inputs (IR version &lt; 4 style), names,
 * doc strings, {@code value_info} and metadata. Anything else (other nodes, other attribute values,
 * initializers no node uses, external data) is rejected.
 *
 * <p>Nothing is written unless the whole model is valid: on any {@link OnnxFormatException} the
 * parameters are unchanged.
 */
public final class OnnxImport {
    private OnnxImport() {}

    /** Loads {@code file} into {@code params} for a {@code [batch,3,32,32]} input. */
    public static void load(Path file, List<OnnxLayer> layers, Parameters params) throws IOException {
        load(Files.readAllBytes(file), layers, params);
    }

    /** Loads the serialized model into {@code params} for a {@code [batch,3,32,32]} input. */
    public static void load(byte[] model, List<OnnxLayer> layers, Parameters params) {
        write(read(model, layers, params, Architecture.CIFAR_INPUT), params);
    }

    /** Loads the serialized model into {@code params} for a {@code [batch,channels,height,width]} input. */
    public static void load(byte[] model, List<OnnxLayer> layers, Parameters params, int channels, int height, int width) {
        write(read(model, layers, params, new long[] {channels, height, width}), params);
    }

    /**
     * Validates the whole model and returns its weights by parameter name (C order), without
     * touching {@code params} (used only for names and shapes).
     *
     * @throws OnnxFormatException if the bytes are not an ONNX model or it does not match
     * @throws IllegalArgumentException if the architecture does not fit {@code params} itself
     */
    public static Map<String, float[]> read(byte[] model, List<OnnxLayer> layers, Parameters params, long[] inputChw) {
        List<long[]> shapes = Architecture.check(layers, params, inputChw);
        Onnx.ModelProto m = parse(model);
        Onnx.GraphProto g = m.getGraph();
        checkOpset(m);
        checkOpSequence(g, layers);

        Map<String, Onnx.TensorProto> inits = new HashMap<>();
        for (Onnx.TensorProto t : g.getInitializerList()) {
            if (inits.put(t.getName(), t) != null) {
                throw new OnnxFormatException("initializer '" + t.getName() + "' is defined twice");
            }
        }
        checkGraphInput(g, inits.keySet(), inputChw);

        Map<String, float[]> weights = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        String prev = null;
        for (int i = 0; i < layers.size(); i++) {
            OnnxLayer layer = layers.get(i);
            Onnx.NodeProto n = g.getNode(i);
            String where = "node " + i + " " + n.getOpType() + " '" + n.getName() + "' (layer " + layer + ")";
            String expectedIn = i == 0 ? graphInputName(g, inits.keySet()) : prev;
            int inputs = layer instanceof OnnxLayer.Conv || layer instanceof OnnxLayer.Gemm ? 3 : 1;
            if (n.getInputCount() != inputs) {
                throw new OnnxFormatException(where + ": expected " + inputs + " inputs"
                        + (inputs == 3 ? " (data, weight, bias)" : "") + ", found " + n.getInputCount() + " " + n.getInputList());
            }
            if (!n.getInput(0).equals(expectedIn)) {
                throw new OnnxFormatException(where + ": expected its input 0 to be '" + expectedIn
                        + (i == 0 ? "' (the graph input)" : "' (the output of node " + (i - 1) + ")") + ", found '" + n.getInput(0) + "'");
            }
            if (n.getOutputCount() < 1 || n.getOutput(0).isEmpty() || n.getOutputList().stream().skip(1).anyMatch(o -> !o.isEmpty())) {
                throw new OnnxFormatException(where + ": expected exactly one output, found " + n.getOutputList());
            }
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                throw new OnnxFormatException(where + ": expected the default ONNX domain, found '" + n.getDomain() + "'");
            }
            Attrs a = new Attrs(n, where);
            if (layer instanceof OnnxLayer.Conv c) {
                long k = c.kernel(), s = c.stride(), p = c.padding();
                a.ints("kernel_shape", new long[] {k, k}, new long[] {k, k});
                a.ints("strides", new long[] {1, 1}, new long[] {s, s});
                a.ints("pads", new long[] {0, 0, 0, 0}, new long[] {p, p, p, p});
                a.ints("dilations", new long[] {1, 1}, new long[] {1, 1});
                a.integer("group", 1, 1);
                a.string("auto_pad", "NOTSET", "NOTSET");
                a.rejectOthers();
                take(weights, used, inits, n, 1, "weight", c.weight(), params, where);
                take(weights, used, inits, n, 2, "bias", c.bias(), params, where);
            } else if (layer instanceof OnnxLayer.MaxPool mp) {
                long k = mp.kernel(), s = mp.stride();
                a.ints("kernel_shape", null, new long[] {k, k});
                a.ints("strides", new long[] {1, 1}, new long[] {s, s});
                a.ints("pads", new long[] {0, 0, 0, 0}, new long[] {0, 0, 0, 0});
                a.ints("dilations", new long[] {1, 1}, new long[] {1, 1});
                a.integer("ceil_mode", 0, 0);
                a.integer("storage_order", 0, 0);
                a.string("auto_pad", "NOTSET", "NOTSET");
                a.rejectOthers();
            } else if (layer instanceof OnnxLayer.Flatten) {
                a.integer("axis", 1, 1);
                a.rejectOthers();
            } else if (layer instanceof OnnxLayer.Gemm gm) {
                a.real("alpha", 1f, 1f);
                a.real("beta", 1f, 1f);
                a.integer("transA", 0, 0);
                a.integer("transB", 0, 1);
                a.rejectOthers();
                take(weights, used, inits, n, 1, "weight", gm.weight(), params, where);
                take(weights, used, inits, n, 2, "bias", gm.bias(), params, where);
            } else {
                a.rejectOthers();
            }
            prev = n.getOutput(0);
        }
        checkGraphOutput(g, prev, shapes.get(shapes.size() - 1)[0]);
        for (String name : inits.keySet()) {
            if (!used.contains(name)) {
                throw new OnnxFormatException("initializer '" + name + "' is not used by any Conv/Gemm node as weight or bias");
            }
        }
        return weights;
    }

    private static void write(Map<String, float[]> weights, Parameters params) {
        for (Parameter p : params.list()) p.set(weights.get(p.name()));
    }

    static Onnx.ModelProto parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) throw new OnnxFormatException("not a valid ONNX model: no bytes");
        Onnx.ModelProto m;
        try {
            m = Onnx.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxFormatException("not a valid ONNX model: corrupt or truncated protobuf (" + e.getMessage() + ")", e);
        }
        if (m.getIrVersion() < 3 || !m.hasGraph() || m.getGraph().getNodeCount() == 0) {
            throw new OnnxFormatException("not a valid ONNX model: ir_version " + m.getIrVersion() + ", "
                    + (m.hasGraph() ? m.getGraph().getNodeCount() + " nodes" : "no graph") + " in " + bytes.length + " bytes");
        }
        return m;
    }

    private static void checkOpset(Onnx.ModelProto m) {
        for (Onnx.OperatorSetIdProto o : m.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                // Conv, MaxPool, Flatten, Gemm, Relu have the semantics checked here from opset 7 on
                if (o.getVersion() < 7) {
                    throw new OnnxFormatException("opset " + o.getVersion() + " is too old: expected the default domain at opset >= 7 (13 exported)");
                }
                return;
            }
        }
        throw new OnnxFormatException("the model imports no default-domain opset (expected ai.onnx opset >= 7)");
    }

    private static void checkOpSequence(Onnx.GraphProto g, List<OnnxLayer> layers) {
        List<String> expected = new ArrayList<>();
        for (OnnxLayer l : layers) expected.add(l.opType());
        List<String> found = new ArrayList<>();
        for (Onnx.NodeProto n : g.getNodeList()) found.add(n.getOpType());
        if (expected.equals(found)) return;
        int i = 0;
        while (i < expected.size() && i < found.size() && expected.get(i).equals(found.get(i))) i++;
        String first = i < found.size() && i < expected.size()
                ? "node " + i + " '" + g.getNode(i).getName() + "' is " + found.get(i) + ", expected " + expected.get(i)
                : i < found.size() ? "extra node " + i + " '" + g.getNode(i).getName() + "' (" + found.get(i) + ") after the last layer"
                : "the graph ends after " + found.size() + " nodes, expected " + expected.get(i) + " next";
        throw new OnnxFormatException("graph does not match the architecture: " + first
                + "; expected ops " + expected + ", found " + found);
    }

    private static String graphInputName(Onnx.GraphProto g, Set<String> initializers) {
        for (Onnx.ValueInfoProto v : g.getInputList()) if (!initializers.contains(v.getName())) return v.getName();
        throw new IllegalStateException("checked in checkGraphInput");
    }

    private static void checkGraphInput(Onnx.GraphProto g, Set<String> initializers, long[] chw) {
        List<Onnx.ValueInfoProto> inputs = new ArrayList<>();
        for (Onnx.ValueInfoProto v : g.getInputList()) if (!initializers.contains(v.getName())) inputs.add(v);
        if (inputs.size() != 1) {
            List<String> names = inputs.stream().map(Onnx.ValueInfoProto::getName).toList();
            throw new OnnxFormatException("expected exactly one graph input (images), found " + names);
        }
        Onnx.ValueInfoProto in = inputs.get(0);
        String expected = "float [batch," + chw[0] + "," + chw[1] + "," + chw[2] + "]";
        String found = describe(in);
        boolean ok = in.getType().hasTensorType()
                && in.getType().getTensorType().getElemType() == Onnx.TensorProto.DataType.FLOAT_VALUE
                && in.getType().getTensorType().hasShape()
                && in.getType().getTensorType().getShape().getDimCount() == 4;
        if (ok) {
            List<Onnx.TensorShapeProto.Dimension> d = in.getType().getTensorType().getShape().getDimList();
            for (int i = 1; i < 4; i++) ok &= d.get(i).hasDimValue() && d.get(i).getDimValue() == chw[i - 1];
        }
        if (!ok) throw new OnnxFormatException("graph input '" + in.getName() + "': expected " + expected + ", found " + found);
    }

    private static void checkGraphOutput(Onnx.GraphProto g, String last, long classes) {
        if (g.getOutputCount() != 1 || !g.getOutput(0).getName().equals(last)) {
            throw new OnnxFormatException("expected exactly one graph output, the output '" + last + "' of the last node; found "
                    + g.getOutputList().stream().map(Onnx.ValueInfoProto::getName).toList());
        }
        Onnx.ValueInfoProto out = g.getOutput(0);
        boolean ok = !out.getType().hasTensorType()
                || out.getType().getTensorType().getElemType() == Onnx.TensorProto.DataType.FLOAT_VALUE;
        if (ok && out.getType().hasTensorType() && out.getType().getTensorType().hasShape()) {
            List<Onnx.TensorShapeProto.Dimension> d = out.getType().getTensorType().getShape().getDimList();
            ok = d.size() == 2 && (!d.get(1).hasDimValue() || d.get(1).getDimValue() == classes);
        }
        if (!ok) {
            throw new OnnxFormatException("graph output '" + out.getName() + "': expected float [batch," + classes + "], found " + describe(out));
        }
    }

    private static String describe(Onnx.ValueInfoProto v) {
        if (!v.getType().hasTensorType()) return "a non-tensor value";
        Onnx.TypeProto.Tensor t = v.getType().getTensorType();
        StringBuilder sb = new StringBuilder(dtype(t.getElemType()).toLowerCase());
        if (!t.hasShape()) return sb.append(" of unknown shape").toString();
        List<String> dims = new ArrayList<>();
        for (Onnx.TensorShapeProto.Dimension d : t.getShape().getDimList()) {
            dims.add(d.hasDimValue() ? Long.toString(d.getDimValue()) : d.hasDimParam() ? d.getDimParam() : "?");
        }
        return sb.append(" [").append(String.join(",", dims)).append("]").toString();
    }

    private static String dtype(int code) {
        Onnx.TensorProto.DataType t = Onnx.TensorProto.DataType.forNumber(code);
        return t == null ? "dtype " + code : t.name();
    }

    /** Decodes the initializer named by input {@code index} of {@code n} into {@code weights[param]}. */
    private static void take(Map<String, float[]> weights, Set<String> used, Map<String, Onnx.TensorProto> inits,
            Onnx.NodeProto n, int index, String role, String param, Parameters params, String where) {
        String name = n.getInput(index);
        Onnx.TensorProto t = inits.get(name);
        String what = where + ": " + role + " (input " + index + ") '" + name + "' for parameter '" + param + "'";
        if (name.isEmpty() || t == null) {
            throw new OnnxFormatException(what + ": expected an initializer, found "
                    + (name.isEmpty() ? "no input" : "no initializer of that name (missing initializer)"));
        }
        if (!used.add(name)) throw new OnnxFormatException(what + ": initializer is already used by another node");
        long[] shape = params.get(param).shape();
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        if (t.getDataType() != Onnx.TensorProto.DataType.FLOAT_VALUE) {
            throw new OnnxFormatException(what + ": expected dtype FLOAT, found " + dtype(t.getDataType()));
        }
        if (!Arrays.equals(dims, shape)) {
            throw new OnnxFormatException(what + ": expected shape " + Arrays.toString(shape) + ", found " + Arrays.toString(dims));
        }
        if (t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
            throw new OnnxFormatException(what + ": external data is not supported (save the model with its weights inside)");
        }
        if (t.hasSegment()) throw new OnnxFormatException(what + ": segmented tensors are not supported");
        int count = Math.toIntExact(params.get(param).length());
        ByteString raw = t.getRawData();
        float[] data = new float[count];
        if (!raw.isEmpty()) {
            if (t.getFloatDataCount() > 0) {
                throw new OnnxFormatException(what + ": has both raw_data and float_data");
            }
            if (raw.size() != count * Float.BYTES) {
                throw new OnnxFormatException(what + ": expected " + count * Float.BYTES + " bytes of raw_data ("
                        + count + " floats), found " + raw.size());
            }
            raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        } else {
            if (t.getFloatDataCount() != count) {
                throw new OnnxFormatException(what + ": expected " + count + " values in raw_data or float_data, found "
                        + t.getFloatDataCount() + " in float_data");
            }
            for (int i = 0; i < count; i++) data[i] = t.getFloatData(i);
        }
        weights.put(param, data);
    }

    /** A node's attributes, checked one by one against what the layer needs. */
    private static final class Attrs {
        private final Map<String, Onnx.AttributeProto> byName = new LinkedHashMap<>();
        private final String where;

        Attrs(Onnx.NodeProto n, String where) {
            this.where = where;
            for (Onnx.AttributeProto a : n.getAttributeList()) {
                if (byName.put(a.getName(), a) != null) {
                    throw new OnnxFormatException(where + ": attribute '" + a.getName() + "' appears twice");
                }
            }
        }

        /** {@code dflt == null}: required. */
        void ints(String name, long[] dflt, long[] expected) {
            Onnx.AttributeProto a = byName.remove(name);
            long[] found;
            if (a == null) {
                if (dflt == null) {
                    throw new OnnxFormatException(where + ": attribute " + name + " is missing, expected " + Arrays.toString(expected));
                }
                found = dflt;
            } else {
                requireType(a, Onnx.AttributeProto.AttributeType.INTS);
                found = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            }
            if (!Arrays.equals(found, expected)) {
                throw new OnnxFormatException(where + ": attribute " + name + ": expected " + Arrays.toString(expected)
                        + ", found " + Arrays.toString(found) + (a == null ? " (the default)" : ""));
            }
        }

        void integer(String name, long dflt, long expected) {
            Onnx.AttributeProto a = byName.remove(name);
            if (a != null) requireType(a, Onnx.AttributeProto.AttributeType.INT);
            long found = a == null ? dflt : a.getI();
            if (found != expected) {
                throw new OnnxFormatException(where + ": attribute " + name + ": expected " + expected + ", found " + found
                        + (a == null ? " (the default)" : ""));
            }
        }

        void real(String name, float dflt, float expected) {
            Onnx.AttributeProto a = byName.remove(name);
            if (a != null) requireType(a, Onnx.AttributeProto.AttributeType.FLOAT);
            float found = a == null ? dflt : a.getF();
            if (Float.compare(found, expected) != 0) {
                throw new OnnxFormatException(where + ": attribute " + name + ": expected " + expected + ", found " + found);
            }
        }

        void string(String name, String dflt, String expected) {
            Onnx.AttributeProto a = byName.remove(name);
            if (a != null) requireType(a, Onnx.AttributeProto.AttributeType.STRING);
            String found = a == null ? dflt : a.getS().toStringUtf8();
            if (!found.equals(expected)) {
                throw new OnnxFormatException(where + ": attribute " + name + ": expected " + expected + ", found " + found);
            }
        }

        void rejectOthers() {
            if (!byName.isEmpty()) {
                throw new OnnxFormatException(where + ": unexpected attributes " + byName.keySet());
            }
        }

        private void requireType(Onnx.AttributeProto a, Onnx.AttributeProto.AttributeType type) {
            if (a.getType() != type) {
                throw new OnnxFormatException(where + ": attribute " + a.getName() + ": expected type " + type + ", found " + a.getType());
            }
        }
    }
}
