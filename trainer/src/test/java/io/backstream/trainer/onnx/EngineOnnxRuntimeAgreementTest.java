package io.backstream.trainer.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.backstream.trainer.nn.CrossEntropyLoss;
import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.nn.TutorialCnn;
import io.backstream.trainer.optim.Adam;
import io.backstream.trainer.testing.Golden;
import io.backstream.trainer.train.TrainingStep;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Weights move between the engine, PyTorch and ONNX Runtime without changing what the model computes. */
class EngineOnnxRuntimeAgreementTest {

    @Test
    void initFromTheReferenceOnnxFileReproducesPyTorchsStart() throws Exception {
        Sequential model = TutorialCnn.create(99);
        OnnxImport.load(Golden.file("model_init.onnx"), model.toOnnx(), model.parameters());
        Map<String, float[]> expected = Golden.paramsInit();
        model.parameters().toFloatArrays().forEach((name, values) -> assertArrayEquals(expected.get(name), values, name));

        INDArray logits = model.forward(Nd4j.createFromArray(Golden.batchImages(0)).reshape(8, 3, 32, 32));
        double diff = Golden.maxAbsDiff(Golden.floats("init/logits_batch0.bin"), logits.dup().data().asFloat());
        assertTrue(diff <= Golden.tolerance("init", "logits_max_abs"), "logits differ by " + diff);
    }

    @Test
    void exportedTrainedModelGivesTheEnginesLogitsInOnnxRuntime() throws Exception {
        Sequential model = TutorialCnn.create(3);
        TrainingStep step = new TrainingStep(model, new Adam(model.parameters(), 1e-3));
        for (int k = 0; k < 6; k++) {
            Golden.Batch b = Golden.batch(k, 8);
            step.run(Nd4j.createFromArray(b.images()).reshape(8, 3, 32, 32), b.labels());
        }
        float[] images = Golden.batch(11, 8).images();
        float[] engine = model.forward(Nd4j.createFromArray(images).reshape(8, 3, 32, 32)).dup().data().asFloat();

        byte[] onnx = OnnxExport.toBytes(model.toOnnx(), model.parameters());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), new long[] {8, 3, 32, 32});
             OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
            float[][] ort = (float[][]) result.get(0).getValue();
            float[] flat = new float[80];
            for (int i = 0; i < 8; i++) System.arraycopy(ort[i], 0, flat, i * 10, 10);
            double diff = Golden.maxAbsDiff(engine, flat);
            assertTrue(diff <= 1e-5, "engine vs ONNX Runtime logits differ by " + diff);
        }
    }
}
