package io.backstream.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The first layer's backward without an input gradient ({@link Layer#backwardParameters}) leaves
 * exactly the parameter gradients that the full {@link Layer#backward} leaves: for any batch size
 * (whole chunks, a tail chunk, a single image), overwriting after zeroGrad and accumulating after.
 */
class FirstLayerBackwardTest {

    @ParameterizedTest(name = "batch {0}, conv {1}->{2}, kernel {3}, padding {4}")
    @CsvSource({"1, 3, 32, 5, 2", "16, 3, 32, 5, 2", "37, 3, 8, 5, 2", "64, 3, 4, 3, 1", "5, 2, 3, 3, 0"})
    void convParameterGradientsMatchTheFullBackward(int batch, int in, int out, int kernel, int padding) {
        Conv2d full = new Conv2d("c", in, out, kernel, 1, padding, DataType.DOUBLE, new Init(7));
        Conv2d paramsOnly = new Conv2d("c", in, out, kernel, 1, padding, DataType.DOUBLE, new Init(7));
        Parameters fullParams = Parameters.pack(full.parameters());
        Parameters onlyParams = Parameters.pack(paramsOnly.parameters());
        fullParams.zeroGrad();
        onlyParams.zeroGrad();

        for (int pass = 1; pass <= 2; pass++) { // pass 2 accumulates onto pass 1
            INDArray x = Nd4j.rand(DataType.DOUBLE, batch, in, 12, 12);
            INDArray dy = Nd4j.randn(DataType.DOUBLE, full.forward(x).shape());
            paramsOnly.forward(x);
            full.backward(dy);
            paramsOnly.backwardParameters(dy);
            for (int p = 0; p < 2; p++) {
                INDArray expected = full.parameters().get(p).grad();
                INDArray actual = paramsOnly.parameters().get(p).grad();
                double scale = Math.max(1, expected.amaxNumber().doubleValue());
                double error = expected.sub(actual).amaxNumber().doubleValue();
                assertTrue(error <= 1e-12 * scale * batch,
                        "pass " + pass + ", " + full.parameters().get(p).name() + ": max |difference| " + error);
            }
        }
    }

    @ParameterizedTest(name = "batch {0}")
    @CsvSource({"1", "3"})
    void aStackTrainsItsParametersTheSameWithoutTheInputGradient(int batch) {
        Sequential full = TutorialCnn.create(DataType.DOUBLE, 3);
        Sequential paramsOnly = TutorialCnn.create(DataType.DOUBLE, 3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, batch, 3, 32, 32);
        INDArray dy = Nd4j.randn(DataType.DOUBLE, batch, 10);
        full.zeroGrad();
        paramsOnly.zeroGrad();
        full.forward(x);
        paramsOnly.forward(x);
        full.backward(dy);
        paramsOnly.backwardParameters(dy);
        var expected = full.parameters().list();
        var actual = paramsOnly.parameters().list();
        assertEquals(expected.size(), actual.size());
        for (int p = 0; p < expected.size(); p++) {
            double error = expected.get(p).grad().sub(actual.get(p).grad()).amaxNumber().doubleValue();
            assertTrue(error <= 1e-12, expected.get(p).name() + ": max |difference| " + error);
        }
    }
}
