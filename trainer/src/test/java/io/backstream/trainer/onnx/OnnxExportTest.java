package io.backstream.trainer.onnx;

import io.backstream.trainer.testing.Golden;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.backstream.trainer.nn.Parameter;
import io.backstream.trainer.nn.Parameters;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import onnx.Onnx;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

@DisplayName("OnnxExport writes standard ONNX that ONNX Runtime and onnx.checker accept")
class OnnxExportTest {

    @Test
    @DisplayName("params_init exported and run in ONNX Runtime gives init/logits_batch0 within 1e-5")
    void exportRunsInOnnxRuntime() throws Exception {
        byte[] model = OnnxExport.toBytes(Golden.CIFAR_NET, Golden.initParams());
        float[] expected = Golden.floats("init/logits_batch0.bin");
        float[] actual = runOrt(model, Golden.batchImages(0), 8);
        assertEquals(80, expected.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertTrue(worst <= 1e-5, "max |logit - golden| = " + worst);
    }

    @Test
    @DisplayName("the exported file has the promised header, names and shapes")
    void exportedStructure() throws Exception {
        Onnx.ModelProto m = Onnx.ModelProto.parseFrom(OnnxExport.toBytes(Golden.CIFAR_NET, Golden.initParams()));
        assertEquals(7, m.getIrVersion());
        assertEquals("backstream", m.getProducerName());
        assertEquals(13, m.getOpsetImport(0).getVersion());
        assertEquals("", m.getOpsetImport(0).getDomain());
        Onnx.GraphProto g = m.getGraph();
        assertEquals(List.of("Conv", "MaxPool", "Conv", "MaxPool", "Conv", "MaxPool", "Flatten", "Gemm", "Gemm"),
                g.getNodeList().stream().map(Onnx.NodeProto::getOpType).toList());
        assertEquals(Golden.zeroParams().names(), g.getInitializerList().stream().map(Onnx.TensorProto::getName).toList());
        Onnx.TensorShapeProto in = g.getInput(0).getType().getTensorType().getShape();
        assertEquals("input", g.getInput(0).getName());
        assertEquals("batch", in.getDim(0).getDimParam());
        assertEquals(List.of(3L, 32L, 32L), in.getDimList().subList(1, 4).stream().map(Onnx.TensorShapeProto.Dimension::getDimValue).toList());
        Onnx.TensorShapeProto out = g.getOutput(0).getType().getTensorType().getShape();
        assertEquals("logits", g.getOutput(0).getName());
        assertEquals("batch", out.getDim(0).getDimParam());
        assertEquals(10, out.getDim(1).getDimValue());
        for (Onnx.TensorProto t : g.getInitializerList()) {
            assertEquals(Onnx.TensorProto.DataType.FLOAT_VALUE, t.getDataType(), t.getName());
            assertEquals(0, t.getFloatDataCount(), t.getName() + " stored as raw_data");
        }
    }

    @Test
    @DisplayName("the exported file passes onnx.checker.check_model (full check) in Debian's python3-onnx")
    void passesOnnxChecker(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.onnx");
        OnnxExport.write(file, Golden.CIFAR_NET, Golden.initParams());
        String python = "/usr/bin/python3";
        boolean haveOnnx = Files.isExecutable(Path.of(python)) && run(python, "-c", "import onnx").exit == 0;
        if (!haveOnnx) {
            String msg = "python3-onnx is not installed (" + python + " -c 'import onnx' failed): cannot run onnx.checker";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(msg + " (CI=true: required)");
            Assumptions.assumeTrue(false, msg + "; skipped (set CI=true to make this a failure)");
        }
        Result r = run(python, "-c", "import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True); print('ok')",
                file.toString());
        assertEquals(0, r.exit, "onnx.checker rejected the export:\n" + r.output);
        assertEquals("ok", r.output.strip());
    }

    @Test
    @DisplayName("export -> import round trip is bitwise")
    void roundTrip(@TempDir Path dir) throws Exception {
        Parameters original = Golden.initParams();
        Path file = dir.resolve("snapshot.onnx");
        OnnxExport.write(file, Golden.CIFAR_NET, original);
        Parameters loaded = Golden.zeroParams();
        OnnxImport.load(file, Golden.CIFAR_NET, loaded);
        Map<String, float[]> a = original.toFloatArrays(), b = loaded.toFloatArrays();
        for (String name : a.keySet()) assertArrayEquals(OnnxImportTest.bits(a.get(name)), OnnxImportTest.bits(b.get(name)), name);
        assertEquals(List.of("snapshot.onnx"), Files.list(dir).map(p -> p.getFileName().toString()).toList(), "no temp files left");
    }

    @Test
    @DisplayName("a layer naming a missing parameter is rejected with the layer and the known names")
    void missingParameter() {
        List<OnnxLayer> layers = new ArrayList<>(Golden.CIFAR_NET);
        layers.set(7, new OnnxLayer.Gemm("fc1.weights", "fc1.bias"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.toBytes(layers, Golden.initParams()));
        assertTrue(e.getMessage().startsWith("layer 7 Gemm[weight=fc1.weights, bias=fc1.bias]: no parameter named 'fc1.weights'"),
                e.getMessage());
    }

    @Test
    @DisplayName("a parameter whose shape does not fit its layer is rejected with expected vs found")
    void wrongShape() {
        List<Parameter> list = new ArrayList<>();
        for (Parameter p : Golden.zeroParams().list()) {
            list.add(p.name().equals("fc1.weight") ? new Parameter("fc1.weight", Nd4j.create(DataType.FLOAT, 64, 1000))
                    : new Parameter(p.name(), Nd4j.create(DataType.FLOAT, p.shape())));
        }
        Parameters params = Parameters.pack(list);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.toBytes(Golden.CIFAR_NET, params));
        assertEquals("layer 7 Gemm[weight=fc1.weight, bias=fc1.bias]: weight 'fc1.weight' has shape [64, 1000],"
                + " expected [out,1024] (the previous layer gives 1024 features)", e.getMessage());
    }

    @Test
    @DisplayName("a parameter no layer uses, a Gemm before Flatten, and a reused parameter are rejected")
    void otherArchitectureErrors() {
        Parameters params = Golden.initParams();
        IllegalArgumentException unused = assertThrows(IllegalArgumentException.class,
                () -> OnnxExport.toBytes(Golden.CIFAR_NET.subList(0, 8), params));
        assertEquals("parameters [fc2.weight, fc2.bias] are not used by any layer of the architecture", unused.getMessage());
        List<OnnxLayer> noFlatten = new ArrayList<>(Golden.CIFAR_NET);
        noFlatten.remove(6);
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class, () -> OnnxExport.toBytes(noFlatten, params));
        assertTrue(flat.getMessage().contains("needs a flat [features] input (put a Flatten before it), but the previous layer gives [64, 4, 4]"),
                flat.getMessage());
    }

    @Test
    @DisplayName("Relu layers export as Relu nodes and run")
    void reluExports() throws Exception {
        List<OnnxLayer> withRelu = new ArrayList<>(Golden.CIFAR_NET);
        withRelu.add(8, new OnnxLayer.Relu());
        byte[] model = OnnxExport.toBytes(withRelu, Golden.initParams());
        float[] logits = runOrt(model, Golden.batchImages(0), 8);
        assertEquals(80, logits.length);
        Parameters back = Golden.zeroParams();
        OnnxImport.load(model, withRelu, back);
        assertArrayEquals(Golden.paramsInit().get("fc2.weight"), back.get("fc2.weight").toFloatArray());
    }

    static float[] runOrt(byte[] model, float[] images, int n) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(model, opts);
                    OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), new long[] {n, 3, 32, 32});
                    OrtSession.Result r = session.run(Map.of("input", x))) {
                FloatBuffer out = ((OnnxTensor) r.get("logits").orElseThrow()).getFloatBuffer();
                float[] logits = new float[out.remaining()];
                out.get(logits);
                return logits;
            }
        }
    }

    record Result(int exit, String output) {}

    static Result run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out + "\n(timed out)");
        }
        return new Result(p.exitValue(), out);
    }
}
