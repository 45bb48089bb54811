package io.backstream.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.backstream.trainer.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The engine's forward and backward at PyTorch's initial weights agree with PyTorch 1.13, layer by layer. */
class TutorialCnnGoldenTest {
    static Sequential model;
    static List<INDArray> activations = new ArrayList<>();
    static List<INDArray> activationGrads = new ArrayList<>();
    static double loss;
    static INDArray logits;
    static INDArray dlogits;

    @BeforeAll
    static void forwardAndBackwardOnBatch0() {
        model = TutorialCnn.create(DataType.FLOAT, 123);
        model.parameters().load(Golden.paramsInit());
        Golden.Batch b = Golden.batch(0, 8);
        INDArray x = Nd4j.createFromArray(b.images()).reshape(8, 3, 32, 32);
        INDArray h = x;
        for (Layer layer : model.layers()) {
            h = layer.forward(h);
            activations.add(h.dup());
        }
        logits = h.dup();
        CrossEntropyLoss ce = new CrossEntropyLoss();
        loss = ce.forward(logits, b.labels());
        dlogits = ce.gradient().dup();
        model.zeroGrad();
        INDArray g = dlogits;
        List<INDArray> reversed = new ArrayList<>();
        for (int i = model.layers().size() - 1; i >= 0; i--) {
            reversed.add(0, g.dup());
            g = model.layers().get(i).backward(g);
        }
        activationGrads.addAll(reversed);
    }

    @Test
    void lossLogitsAndTheirGradientMatchPyTorch() {
        JsonNode init = Golden.manifest().get("init");
        assertEquals(init.get("loss").asDouble(), loss, Golden.tolerance("init", "loss_abs"));
        assertClose("logits", Golden.floats("init/logits_batch0.bin"), logits, Golden.tolerance("init", "logits_max_abs"));
        assertClose("dlogits", Golden.floats("init/dlogits_batch0.bin"), dlogits, Golden.tolerance("init", "dlogits_max_abs"));
    }

    /** Layer outputs and d(loss)/d(output) for sample 0, named as the manifest names them. */
    @Test
    void everyActivationAndItsGradientMatchPyTorch() {
        String[] names = {"conv1_out", "pool1_out", "conv2_out", "pool2_out", "conv3_out", "pool3_out", null, "fc1_out", "logits"};
        double actTol = Golden.tolerance("init", "activations_max_abs");
        double gradTol = Golden.tolerance("init", "activation_grads_max_abs");
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null) continue; // flatten is a view of pool3_out
            INDArray a = activations.get(i).get(org.nd4j.linalg.indexing.NDArrayIndex.point(0));
            INDArray g = activationGrads.get(i).get(org.nd4j.linalg.indexing.NDArrayIndex.point(0));
            assertClose(names[i], Golden.floats("init/act_sample0/" + names[i] + ".bin"), a, actTol);
            assertClose("d " + names[i], Golden.floats("init/actgrad_sample0/" + names[i] + ".bin"), g, gradTol);
        }
    }

    @Test
    void everyParameterGradientMatchesPyTorch() {
        Map<String, float[]> expected = Golden.params(Golden.manifest().get("init").get("grads"));
        double tol = Golden.tolerance("init", "grads_step1_max_abs");
        for (Parameter p : model.parameters().list()) {
            assertClose(p.name() + ".grad", expected.get(p.name()), p.grad(), tol);
        }
    }

    @Test
    void gradientsAccumulateUntilZeroGrad() {
        Sequential m = TutorialCnn.create(DataType.FLOAT, 5);
        Golden.Batch b = Golden.batch(1, 8);
        INDArray x = Nd4j.createFromArray(b.images()).reshape(8, 3, 32, 32);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        m.zeroGrad();
        ce.forward(m.forward(x), b.labels());
        m.backward(ce.gradient());
        INDArray once = m.parameters().grads().dup();
        ce.forward(m.forward(x), b.labels());
        m.backward(ce.gradient());
        assertTrue(m.parameters().grads().equalsWithEps(once.mul(2), 1e-6), "two backward passes add up");
        m.zeroGrad(); // lazy: the next backward overwrites the stale sums
        ce.forward(m.forward(x), b.labels());
        m.backward(ce.gradient());
        assertTrue(m.parameters().grads().equalsWithEps(once, 1e-7), "after zeroGrad one pass gives one gradient");
        m.zeroGrad();
        assertEquals(0.0, m.parameters().grads().norm1Number().doubleValue(), "read after zeroGrad: zeros");
    }

    @Test
    void hasTheTutorialsParameters() {
        assertEquals(145_578, model.parameters().count());
        List<String> expected = new ArrayList<>();
        Golden.manifest().get("model").get("params").forEach(p -> expected.add(p.get("name").asText()));
        assertEquals(expected, model.parameters().names());
    }

    static void assertClose(String what, float[] expected, INDArray actual, double tol) {
        float[] a = actual.dup('c').castTo(DataType.FLOAT).data().asFloat();
        double diff = Golden.maxAbsDiff(expected, a);
        assertTrue(diff <= tol, what + ": max abs diff " + diff + " > " + tol);
    }
}
