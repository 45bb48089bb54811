package io.backstream.trainer.service;

import io.backstream.trainer.optim.OptimizerState;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.backstream.events.Batch;
import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.onnx.OnnxExport;
import io.backstream.trainer.optim.Optimizer;
import io.backstream.trainer.optim.OptimizerConfig;
import io.backstream.trainer.train.BatchFiller;
import io.backstream.trainer.train.TrainingStep;

/**
 * The engine side of one run: turns each batch into one step of the tutorial's loop on the run's
 * model, counts steps over the run and sums each epoch's losses. Knows which batch it trained last,
 * so a batch seen again is recognised. Thread-safe: a step and an export never overlap.
 */
final class BatchTrainer {

    /** One step's result; {@code epochEnd} is set when the batch ended its epoch. */
    record Trained(int epoch, long step, double loss, double imagesPerSecond, EpochTotals epochEnd) {}

    /** An epoch's totals: its steps, the sum of their losses, images and training time. */
    record EpochTotals(int epoch, int steps, double runningLoss, long images, long nanos) {
        double meanLoss() {
            return runningLoss / steps;
        }

        double imagesPerSecond() {
            return nanos == 0 ? 0 : images / (nanos / 1e9);
        }
    }

    private final Sequential model;
    private final Optimizer optimizer;
    private final TrainingStep trainingStep;
    private final BatchFiller filler;
    private final double lr;
    private StepCounters counters = StepCounters.START;

    /** @throws IllegalArgumentException if the optimizer settings do not build (the message names the hyper-parameter) */
    BatchTrainer(Sequential model, OptimizerConfig optimizer, int batchSize) {
        this.model = model;
        Optimizer built = optimizer.build(model.parameters());
        this.optimizer = built;
        this.trainingStep = new TrainingStep(model, built);
        this.filler = new BatchFiller(batchSize);
        Object lrValue = built.hyperparameters().get("lr");
        this.lr = lrValue instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    double lr() {
        return lr;
    }

    synchronized long step() {
        return counters.step();
    }

    /** Where {@code batch} falls relative to the last batch trained. */
    synchronized StepCounters.Position position(Batch batch) {
        return counters.positionOf(batch);
    }

    /**
     * One step on the batch: zero_grad, forward, loss, backward, optimizer step.
     *
     * @throws TrainingStep.NonFiniteLossException if the loss is NaN or infinite; nothing is applied then
     */
    synchronized Trained train(Batch batch) {
        long t0 = System.nanoTime();
        double loss = trainingStep.run(filler.fill(batch.pixels(), batch.labels(), batch.count()), filler.labels());
        long nanos = Math.max(1, System.nanoTime() - t0);
        StepCounters c = counters = counters.after(batch, loss, nanos);
        EpochTotals end = batch.lastOfEpoch()
                ? new EpochTotals(c.lastEpoch(), c.epochSteps(), c.runningLoss(), c.epochImages(), c.epochNanos()) : null;
        return new Trained(c.lastEpoch(), c.step(), loss, batch.count() / (nanos / 1e9), end);
    }

    /** Where the run is: what a {@link Checkpoint} keeps besides weights and optimizer state. */
    synchronized StepCounters counters() {
        return counters;
    }

    /** Whether every weight is a finite number (a step with a finite loss can still apply non-finite gradients). */
    synchronized boolean weightsFinite() {
        for (float w : weights()) if (!Float.isFinite(w)) return false;
        return true;
    }

    /** A copy of every weight, flat. */
    synchronized float[] weights() {
        return model.parameters().values().toFloatVector();
    }

    /** The optimizer's complete state, serialised. */
    synchronized byte[] optimizerState() {
        return optimizer.state().toBytes();
    }

    /**
     * Puts the run back where a checkpoint left it: weights, optimizer buffers and counters; the
     * next step is then bit-identical to the one that followed when the checkpoint was taken.
     *
     * @throws IllegalArgumentException if the checkpoint does not fit this model or optimizer
     */
    synchronized void restore(Checkpoint c) {
        INDArray values = model.parameters().values();
        if (c.weights().length != values.length()) {
            throw new IllegalArgumentException("checkpoint has " + c.weights().length + " weights, the model " + values.length());
        }
        optimizer.loadState(OptimizerState.fromBytes(c.optimizerState()));
        values.assign(Nd4j.createFromArray(c.weights()));
        counters = c.counters();
    }

    /** The current weights as ONNX bytes. */
    synchronized byte[] onnx() {
        return OnnxExport.toBytes(model.toOnnx(), model.parameters());
    }
}
