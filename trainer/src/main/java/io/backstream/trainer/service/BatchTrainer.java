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

    /** Where a batch falls relative to the last one trained. */
    enum Position { NEXT, AHEAD, DUPLICATE }

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
    private long step;
    private int lastEpoch;
    private int lastIndex = -1;
    private int lastBatches;
    private int epochSteps;
    private double runningLoss;
    private long epochImages;
    private long epochNanos;

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
        return step;
    }

    /** NEXT: the batch right after the last one trained; AHEAD: later (batches are missing); DUPLICATE: trained already. */
    synchronized Position position(Batch batch) {
        int nextEpoch = lastEpoch == 0 ? 1 : (lastIndex == lastBatches - 1 ? lastEpoch + 1 : lastEpoch);
        int nextIndex = lastEpoch == 0 || lastIndex == lastBatches - 1 ? 0 : lastIndex + 1;
        int cmpLast = compare(batch.epoch(), batch.index(), lastEpoch, lastIndex);
        if (cmpLast <= 0) return Position.DUPLICATE;
        return batch.epoch() == nextEpoch && batch.index() == nextIndex ? Position.NEXT : Position.AHEAD;
    }

    /**
     * One step on the batch: zero_grad, forward, loss, backward, optimizer step.
     *
     * @throws TrainingStep.NonFiniteLossException if the loss is NaN or infinite; nothing is applied then
     */
    synchronized Trained train(Batch batch) {
        if (batch.epoch() != lastEpoch) {
            epochSteps = 0;
            runningLoss = 0;
            epochImages = 0;
            epochNanos = 0;
        }
        long t0 = System.nanoTime();
        double loss = trainingStep.run(filler.fill(batch.pixels(), batch.labels(), batch.count()), filler.labels());
        long nanos = Math.max(1, System.nanoTime() - t0);
        step++;
        lastEpoch = batch.epoch();
        lastIndex = batch.index();
        lastBatches = batch.batches();
        epochSteps++;
        runningLoss += loss;
        epochImages += batch.count();
        epochNanos += nanos;
        EpochTotals end = batch.lastOfEpoch() ? new EpochTotals(lastEpoch, epochSteps, runningLoss, epochImages, epochNanos) : null;
        return new Trained(lastEpoch, step, loss, batch.count() / (nanos / 1e9), end);
    }

    /** Where the run is: what a {@link Checkpoint} keeps besides weights and optimizer state. */
    synchronized Checkpoint.Counters counters() {
        return new Checkpoint.Counters(step, lastEpoch, lastIndex, lastBatches, epochSteps, runningLoss, epochImages, epochNanos);
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
        Checkpoint.Counters k = c.counters();
        step = k.step();
        lastEpoch = k.lastEpoch();
        lastIndex = k.lastIndex();
        lastBatches = k.lastBatches();
        epochSteps = k.epochSteps();
        runningLoss = k.runningLoss();
        epochImages = k.epochImages();
        epochNanos = k.epochNanos();
    }

    /** The current weights as ONNX bytes. */
    synchronized byte[] onnx() {
        return OnnxExport.toBytes(model.toOnnx(), model.parameters());
    }

    private static int compare(int epochA, int indexA, int epochB, int indexB) {
        return epochA != epochB ? Integer.compare(epochA, epochB) : Integer.compare(indexA, indexB);
    }
}
