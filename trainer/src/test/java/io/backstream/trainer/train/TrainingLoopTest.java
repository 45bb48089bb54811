package io.backstream.trainer.train;

import io.backstream.data.EpochOrder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.data.CifarDataset;
import io.backstream.data.CifarDatasets;
import io.backstream.data.Split;
import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.nn.TutorialCnn;
import io.backstream.trainer.optim.SGD;
import io.backstream.trainer.testing.Golden;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The tutorial loop's bookkeeping: how an epoch is cut into batches, how steps are numbered, what
 * the running loss is, what happens when training diverges; and Evaluation's accuracy.
 */
class TrainingLoopTest {
    private static final int IMAGE = 3 * 32 * 32;
    private static CifarDataset golden96;

    @BeforeAll
    static void readGoldenRecords() throws IOException {
        golden96 = CifarDatasets.open(Golden.file("golden_train_96.bin"), Split.TRAIN);
        assertEquals(96, golden96.size());
    }

    /** The first {@code n} golden records, with these labels (null: their own). */
    private static CifarDataset firstRecords(int n, int[] labels) {
        byte[] pixels = new byte[n * IMAGE];
        byte[] y = new byte[n];
        for (int i = 0; i < n; i++) {
            golden96.copyImage(i, pixels, i * IMAGE);
            y[i] = (byte) (labels == null ? golden96.label(i) : labels[i]);
        }
        return CifarDataset.of(pixels, y, golden96.classNames(), "first " + n + " golden records");
    }

    private static Sequential goldenModel() {
        Sequential model = TutorialCnn.create(3);
        model.parameters().load(Golden.paramsInit());
        return model;
    }

    private static float[] values(Sequential model) {
        return model.parameters().values().dup().toFloatVector();
    }

    /** Collects every step and epoch a loop reports. */
    private static final class Recorder implements TrainingListener {
        final List<StepResult> steps = new ArrayList<>();
        final List<EpochSummary> epochs = new ArrayList<>();

        @Override
        public void onStep(StepResult s) {
            steps.add(s);
        }

        @Override
        public void onEpoch(EpochSummary e) {
            epochs.add(e);
        }
    }

    @Test
    void anEpochOf20RecordsInBatchesOf8HasThreeStepsTheLastOneOf4() {
        Sequential model = goldenModel();
        TrainingLoop loop = new TrainingLoop(model, new SGD(model.parameters(), 0.001), firstRecords(20, null), 8, EpochOrder.fileOrder());
        assertEquals(3, loop.stepsPerEpoch());

        Recorder r = new Recorder();
        EpochSummary summary = loop.runEpoch(1, r);

        assertEquals(List.of(8, 8, 4), r.steps.stream().map(StepResult::batchSize).toList());
        assertEquals(List.of(3, 3, 3), r.steps.stream().map(StepResult::stepsInEpoch).toList());
        assertEquals(3, summary.steps());
        assertEquals(20, summary.images(), "every record is seen once, none dropped");
        assertEquals(List.of(summary), r.epochs);
    }

    @Test
    void batchSizesThatDivideTheDatasetOrExceedItGiveFullOrSingleBatches() {
        Sequential model = goldenModel();
        SGD sgd = new SGD(model.parameters(), 0.001);
        assertEquals(12, new TrainingLoop(model, sgd, golden96, 8, EpochOrder.fileOrder()).stepsPerEpoch());
        assertEquals(1, new TrainingLoop(model, sgd, golden96, 96, EpochOrder.fileOrder()).stepsPerEpoch());
        assertEquals(1, new TrainingLoop(model, sgd, golden96, 4096, EpochOrder.fileOrder()).stepsPerEpoch());
        assertEquals(96, new TrainingLoop(model, sgd, golden96, 1, EpochOrder.fileOrder()).stepsPerEpoch());
        assertEquals(10, new TrainingLoop(model, sgd, golden96, 10, EpochOrder.fileOrder()).stepsPerEpoch(), "9 of 10 and one of 6");
    }

    @Test
    void stepsAreNumberedOverTheWholeRunAndWithinEachEpoch() {
        Sequential model = goldenModel();
        SGD sgd = new SGD(model.parameters(), 0.001);
        TrainingLoop loop = new TrainingLoop(model, sgd, firstRecords(20, null), 8, EpochOrder.shuffled(1));
        Recorder r = new Recorder();
        loop.run(2, r);

        assertEquals(List.of(1, 1, 1, 2, 2, 2), r.steps.stream().map(StepResult::epoch).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), r.steps.stream().map(StepResult::step).toList());
        assertEquals(List.of(1, 2, 3, 1, 2, 3), r.steps.stream().map(StepResult::stepInEpoch).toList());
        assertEquals(List.of(1, 2), r.epochs.stream().map(EpochSummary::epoch).toList());
        assertEquals(6, loop.steps());
        assertEquals(6, sgd.stepCount(), "one optimizer step per loop step");
    }

    @Test
    void theRunningLossIsTheSumOfTheEpochsStepLosses() {
        Sequential model = goldenModel();
        TrainingLoop loop = new TrainingLoop(model, new SGD(model.parameters(), 0.01), firstRecords(20, null), 8, EpochOrder.fileOrder());
        Recorder r = new Recorder();
        loop.run(2, r);

        for (EpochSummary e : r.epochs) {
            double sum = 0;
            for (StepResult s : r.steps) if (s.epoch() == e.epoch()) sum += s.loss();
            assertEquals(sum, e.runningLoss(), 0.0, "epoch " + e.epoch());
            assertEquals(sum / 3, e.meanLoss(), 1e-15, "epoch " + e.epoch());
            assertTrue(e.runningLoss() > 0);
        }
        assertTrue(r.epochs.get(1).runningLoss() != r.epochs.get(0).runningLoss(), "the second epoch trains on updated weights");
    }

    @Test
    void aHugeLearningRateDivergesNamingTheStepAndLeavesTheLastGoodWeights() {
        Sequential model = goldenModel();
        SGD sgd = new SGD(model.parameters(), 1e6);
        TrainingLoop loop = new TrainingLoop(model, sgd, golden96, 8, EpochOrder.fileOrder());
        List<float[]> afterStep = new ArrayList<>();
        afterStep.add(values(model)); // index 0: before step 1
        TrainingListener snapshot = new TrainingListener() {
            @Override
            public void onStep(StepResult s) {
                afterStep.add(values(model));
            }
        };

        DivergedException e = assertThrows(DivergedException.class, () -> loop.run(10, snapshot));

        long good = afterStep.size() - 1;
        assertTrue(good >= 1, "at least one step succeeds before the weights blow up (else this test shows little)");
        assertEquals(good + 1, e.step(), "the failing step is the one after the last reported one");
        assertTrue(e.getMessage().contains("step " + e.step()), e.getMessage());
        assertTrue(e.getMessage().contains("diverged"), e.getMessage());
        assertEquals(good, loop.steps());
        assertEquals(good, sgd.stepCount(), "the failing step was not applied");
        assertArrayEquals(afterStep.get((int) good), values(model), "weights are those after step " + good);
    }

    @Test
    void evaluationCountsRecordsWhoseLabelIsTheArgmaxOfTheLogits() {
        int n = 10;
        Sequential model = goldenModel();
        CifarDataset own = firstRecords(n, null);

        // the logits of the n records, by a forward pass of our own, and their argmax by hand
        INDArray x = Nd4j.create(DataType.FLOAT, n, 3, 32, 32);
        float[] flat = new float[n * IMAGE];
        for (int i = 0; i < n; i++) own.imageAsFloats(i, flat, i * IMAGE);
        x.assign(Nd4j.createFromArray(flat).reshape(n, 3, 32, 32));
        float[][] logits = model.forward(x).dup().toFloatMatrix();
        int[] argmax = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 1; k < 10; k++) if (logits[i][k] > logits[i][argmax[i]]) argmax[i] = k;
        }

        // relabel: records 0, 3 and 7 carry the predicted class, the others a different one
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i == 0 || i == 3 || i == 7 ? argmax[i] : (argmax[i] + 1) % 10;
        CifarDataset relabelled = firstRecords(n, labels);

        for (int batch : new int[] {1, 3, 10, 256}) {
            Evaluation.Result r = Evaluation.of(model, relabelled, batch);
            assertEquals(n, r.count(), "batch " + batch);
            assertEquals(3, r.correct(), "batch " + batch);
            assertEquals(0.3, r.accuracy(), 1e-12, "batch " + batch);
            assertEquals(meanCrossEntropy(logits, labels), r.meanLoss(), 1e-5, "batch " + batch);
        }
    }

    /** mean over records of logsumexp(z) − z[y], in double. */
    private static double meanCrossEntropy(float[][] logits, int[] labels) {
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (float z : logits[i]) max = Math.max(max, z);
            double sum = 0;
            for (float z : logits[i]) sum += Math.exp(z - max);
            total += max + Math.log(sum) - logits[i][labels[i]];
        }
        return total / logits.length;
    }

    @Test
    void anEmptyEvaluationSetHasNoAccuracy() {
        Evaluation.Result r = new Evaluation.Result(0, 0, 0);
        assertTrue(Double.isNaN(r.accuracy()));
    }

    @Test
    void evaluationDoesNotChangeTheWeights() {
        Sequential model = goldenModel();
        float[] before = values(model);
        Evaluation.of(model, golden96, 32);
        assertArrayEquals(before, values(model));
    }
}
