package io.backstream.trainer.train;

import io.backstream.data.EpochOrder;
import io.backstream.data.CifarDataset;
import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.optim.Optimizer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The tutorial's loop:
 * <pre>
 * for epoch in epochs:
 *     for images, labels in loader:           # batches in EpochOrder, last one may be smaller
 *         optimizer.zero_grad()
 *         loss = criterion(model(images), labels)
 *         loss.backward()
 *         optimizer.step()
 *         running_loss += loss
 * </pre>
 * A NaN or infinite loss stops the run before its step is applied ({@link DivergedException}).
 */
public final class TrainingLoop {
    private final TrainingStep trainingStep;
    private final CifarDataset data;
    private final int batchSize;
    private final EpochOrder order;
    private final BatchFiller filler;
    private long step;

    public TrainingLoop(Sequential model, Optimizer optimizer, CifarDataset data, int batchSize, EpochOrder order) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        if (data.size() == 0) throw new IllegalArgumentException("the dataset " + data.source() + " is empty");
        this.trainingStep = new TrainingStep(model, optimizer);
        this.data = data;
        this.batchSize = batchSize;
        this.order = order;
        this.filler = new BatchFiller(batchSize);
    }

    /** Steps per epoch: the last batch takes the remainder, as {@code DataLoader(drop_last=False)}. */
    public int stepsPerEpoch() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    public void run(int epochs, TrainingListener listener) {
        if (epochs <= 0) throw new IllegalArgumentException("epochs must be positive, got " + epochs);
        for (int epoch = 1; epoch <= epochs; epoch++) runEpoch(epoch, listener);
    }

    public EpochSummary runEpoch(int epoch, TrainingListener listener) {
        int[] indices = order.indices(epoch, data.size());
        int steps = stepsPerEpoch();
        double runningLoss = 0;
        long start = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            int from = s * batchSize;
            int n = Math.min(batchSize, data.size() - from);
            INDArray images = filler.fill(data, indices, from, n);
            double loss = step(images, filler.labels(), epoch);
            runningLoss += loss;
            double seconds = (System.nanoTime() - t0) / 1e9;
            listener.onStep(new StepResult(epoch, step, s + 1, steps, loss, n, n / seconds));
        }
        EpochSummary summary = new EpochSummary(epoch, steps, runningLoss, data.size(), (System.nanoTime() - start) / 1e9);
        listener.onEpoch(summary);
        return summary;
    }

    private double step(INDArray images, int[] labels, int epoch) {
        try {
            double loss = trainingStep.run(images, labels);
            step++;
            return loss;
        } catch (TrainingStep.NonFiniteLossException e) {
            throw new DivergedException(epoch, step + 1, e.loss());
        }
    }

    /** Steps taken so far over the whole run. */
    public long steps() {
        return step;
    }
}
