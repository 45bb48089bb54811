package io.backstream.trainer.onnx;

import com.google.protobuf.ByteString;
import io.backstream.trainer.nn.Parameter;
import io.backstream.trainer.nn.Parameters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import onnx.Onnx;

/**
 * Writes a model as standard ONNX (IR version 7, opset 13), the way {@code torch.onnx.export} writes
 * the same network: one node per {@link OnnxLayer} ({@code Conv}, {@code MaxPool}, {@code Flatten},
 * {@code Gemm} with {@code transB=1}, {@code Relu}), parameters as float32 initializers (little-endian
 * {@code raw_data}) named by their {@link Parameter} names, input {@code input [batch,C,H,W]} with a
 * symbolic batch dimension and output {@code logits [batch,classes]}.
 */
public final class OnnxExport {
    public static final long IR_VERSION = 7;
    public static final long OPSET = 13;
    public static final String PRODUCER = "backstream";
    public static final String INPUT = "input";
    public static final String OUTPUT = "logits";
    public static final String BATCH_DIM = "batch";

    private OnnxExport() {}

    /** The model for a {@code [batch,3,32,32]} (CIFAR-10) input, serialized. */
    public static byte[] toBytes(List<OnnxLayer> layers, Parameters params) {
        return toModel(layers, params, Architecture.CIFAR_INPUT).toByteArray();
    }

    /** The model for a {@code [batch,channels,height,width]} input, serialized. */
    public static byte[] toBytes(List<OnnxLayer> layers, Parameters params, int channels, int height, int width) {
        return toModel(layers, params, new long[] {channels, height, width}).toByteArray();
    }

    /** Writes {@link #toBytes(List, Parameters)} to {@code file} (via a temporary file and a rename, so readers never see half a model). */
    public static void write(Path file, List<OnnxLayer> layers, Parameters params) throws IOException {
        writeAtomically(file, toBytes(layers, params));
    }

    public static void write(Path file, List<OnnxLayer> layers, Parameters params, int channels, int height, int width)
            throws IOException {
        writeAtomically(file, toBytes(layers, params, channels, height, width));
    }

    /**
     * The ONNX model as a protobuf message.
     *
     * @throws IllegalArgumentException if a layer names a missing parameter, a parameter's shape does
     *     not fit its layer or the previous layer's output, or a parameter is used by no layer
     */
    public static Onnx.ModelProto toModel(List<OnnxLayer> layers, Parameters params, long[] inputChw) {
        List<long[]> shapes = Architecture.check(layers, params, inputChw);
        long classes = shapes.get(shapes.size() - 1)[0];

        Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder().setName("backstream");
        String prev = INPUT;
        for (int i = 0; i < layers.size(); i++) {
            OnnxLayer layer = layers.get(i);
            String op = layer.opType();
            String out = i == layers.size() - 1 ? OUTPUT : "/" + i + "/" + op + "_output_0";
            Onnx.NodeProto.Builder node = Onnx.NodeProto.newBuilder()
                    .setName("/" + i + "/" + op).setOpType(op).addInput(prev).addOutput(out);
            if (layer instanceof OnnxLayer.Conv c) {
                node.addInput(c.weight()).addInput(c.bias())
                        .addAttribute(ints("dilations", 1, 1))
                        .addAttribute(integer("group", 1))
                        .addAttribute(ints("kernel_shape", c.kernel(), c.kernel()))
                        .addAttribute(ints("pads", c.padding(), c.padding(), c.padding(), c.padding()))
                        .addAttribute(ints("strides", c.stride(), c.stride()));
                graph.addInitializer(initializer(params.get(c.weight())));
                graph.addInitializer(initializer(params.get(c.bias())));
            } else if (layer instanceof OnnxLayer.MaxPool p) {
                node.addAttribute(integer("ceil_mode", 0))
                        .addAttribute(ints("kernel_shape", p.kernel(), p.kernel()))
                        .addAttribute(ints("pads", 0, 0, 0, 0))
                        .addAttribute(ints("strides", p.stride(), p.stride()));
            } else if (layer instanceof OnnxLayer.Flatten) {
                node.addAttribute(integer("axis", 1));
            } else if (layer instanceof OnnxLayer.Gemm g) {
                node.addInput(g.weight()).addInput(g.bias())
                        .addAttribute(real("alpha", 1f))
                        .addAttribute(real("beta", 1f))
                        .addAttribute(integer("transB", 1));
                graph.addInitializer(initializer(params.get(g.weight())));
                graph.addInitializer(initializer(params.get(g.bias())));
            }
            graph.addNode(node);
            prev = out;
        }
        graph.addInput(valueInfo(INPUT, dim(BATCH_DIM), dim(inputChw[0]), dim(inputChw[1]), dim(inputChw[2])));
        graph.addOutput(valueInfo(OUTPUT, dim(BATCH_DIM), dim(classes)));

        return Onnx.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName(PRODUCER)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build();
    }

    private static Onnx.TensorProto initializer(Parameter p) {
        float[] data = p.toFloatArray();
        ByteBuffer bytes = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(data);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder()
                .setName(p.name())
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(bytes));
        for (long d : p.shape()) t.addDims(d);
        return t.build();
    }

    private static Onnx.AttributeProto ints(String name, long... values) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long v : values) a.addInts(v);
        return a.build();
    }

    private static Onnx.AttributeProto integer(String name, long value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static Onnx.AttributeProto real(String name, float value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private static Onnx.TensorShapeProto.Dimension dim(long value) {
        return Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(value).build();
    }

    private static Onnx.TensorShapeProto.Dimension dim(String param) {
        return Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam(param).build();
    }

    private static Onnx.ValueInfoProto valueInfo(String name, Onnx.TensorShapeProto.Dimension... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (Onnx.TensorShapeProto.Dimension d : dims) shape.addDim(d);
        return Onnx.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(Onnx.TypeProto.newBuilder().setTensorType(
                        Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
