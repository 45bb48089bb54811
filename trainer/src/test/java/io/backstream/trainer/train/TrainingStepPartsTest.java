package io.backstream.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.nn.TutorialCnn;
import io.backstream.trainer.optim.SGD;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A batch of more than 16 images trains in parts on replicas of the model ({@link TrainingStep}):
 * the same step as one piece, to float rounding, and the same bits on any number of threads.
 */
class TrainingStepPartsTest {
    private static final int BATCH = 64;

    @AfterAll
    static void oneThreadAgain() {
        EngineThreads.configure(1);
    }

    private static INDArray images(long seed, int n) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, n, 3, 32, 32);
    }

    private static int[] labels(long seed, int n) {
        return new Random(seed).ints(n, 0, TutorialCnn.CLASSES).toArray();
    }

    /** Three SGD-with-momentum steps from seed 7 on fixed batches; the losses, then the weights after. */
    private static float[] train(int partImages, double[] losses, int batch) {
        Sequential model = TutorialCnn.create(7);
        TrainingStep step = new TrainingStep(model, new SGD(model.parameters(), 0.01, 0.9, 0, false, 0), partImages);
        for (int i = 0; i < losses.length; i++) losses[i] = step.run(images(100 + i, batch), labels(200 + i, batch));
        return model.parameters().values().toFloatVector();
    }

    @Test
    void aBatchTrainedInPartsTakesTheSameStepAsInOnePieceToFloatRounding() {
        EngineThreads.configure(2);
        double[] inParts = new double[3];
        double[] whole = new double[3];
        float[] a = train(TrainingStep.PART_IMAGES, inParts, BATCH);
        float[] b = train(Integer.MAX_VALUE, whole, BATCH);

        for (int i = 0; i < 3; i++) assertEquals(whole[i], inParts[i], 1e-6 * Math.abs(whole[i]), "loss of step " + (i + 1));
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        assertTrue(worst < 1e-6, "largest weight difference after 3 steps: " + worst);
    }

    @Test
    void theStepIsBitIdenticalOnOneThreadOrTwoAndForABatchThatDoesNotDivideEvenly() {
        for (int batch : new int[] {BATCH, 50}) {
            double[] one = new double[3];
            double[] two = new double[3];
            EngineThreads.configure(1);
            float[] a = train(TrainingStep.PART_IMAGES, one, batch);
            EngineThreads.configure(2);
            float[] b = train(TrainingStep.PART_IMAGES, two, batch);
            assertArrayEquals(one, two, 0.0, "losses at batch " + batch);
            assertArrayEquals(a, b, 0f, "weights at batch " + batch);
        }
    }

    @Test
    void aNonFiniteLossInAnyPartStopsTheStepBeforeAnythingIsApplied() {
        EngineThreads.configure(2);
        Sequential model = TutorialCnn.create(7);
        TrainingStep step = new TrainingStep(model, new SGD(model.parameters(), 0.01, 0.9, 0, false, 0));
        float[] before = model.parameters().values().toFloatVector();
        INDArray x = images(1, BATCH);
        x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(40)).assign(Float.NaN); // an image of the third part

        TrainingStep.NonFiniteLossException e = assertThrows(TrainingStep.NonFiniteLossException.class, () -> step.run(x, labels(2, BATCH)));

        assertTrue(!Double.isFinite(e.loss()));
        assertArrayEquals(before, model.parameters().values().toFloatVector(), 0f, "no weight changed");
    }
}
