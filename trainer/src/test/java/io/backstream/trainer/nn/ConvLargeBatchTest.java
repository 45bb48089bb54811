package io.backstream.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A batch larger than {@link Conv2d#MAX_IMAGES_PER_CALL} (run in slices inside the layer) gives the
 * output, input gradient and parameter gradients that the same images give in separate small calls.
 */
class ConvLargeBatchTest {

    @Test
    void aBatchRunInSlicesEqualsTheSameImagesInSmallBatches() {
        int batch = 2 * Conv2d.MAX_IMAGES_PER_CALL + 9;
        Conv2d large = new Conv2d("c", 3, 4, 5, 1, 2, DataType.DOUBLE, new Init(11));
        Conv2d small = new Conv2d("c", 3, 4, 5, 1, 2, DataType.DOUBLE, new Init(11));
        Parameters.pack(large.parameters()).zeroGrad();
        Parameters.pack(small.parameters()).zeroGrad();
        INDArray x = Nd4j.rand(DataType.DOUBLE, batch, 3, 9, 9);
        INDArray dy = Nd4j.randn(DataType.DOUBLE, batch, 4, 9, 9);

        INDArray output = large.forward(x).dup();
        INDArray gradInput = large.backward(dy).dup();

        int[] cuts = {0, 40, 100, batch};
        for (int i = 0; i + 1 < cuts.length; i++) {
            INDArray xs = x.get(NDArrayIndex.interval(cuts[i], cuts[i + 1])).dup();
            INDArray dys = dy.get(NDArrayIndex.interval(cuts[i], cuts[i + 1])).dup();
            assertClose("output of images " + cuts[i] + "..", small.forward(xs), output.get(NDArrayIndex.interval(cuts[i], cuts[i + 1])));
            assertClose("input gradient of images " + cuts[i] + "..", small.backward(dys), gradInput.get(NDArrayIndex.interval(cuts[i], cuts[i + 1])));
        }
        for (int p = 0; p < 2; p++) {
            assertClose(large.parameters().get(p).name(), small.parameters().get(p).grad(), large.parameters().get(p).grad());
        }
    }

    private static void assertClose(String what, INDArray expected, INDArray actual) {
        double error = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(error <= 1e-11, what + ": max |difference| " + error);
    }
}
