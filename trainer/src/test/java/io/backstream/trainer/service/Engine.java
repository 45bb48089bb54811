package io.backstream.trainer.service;

import io.backstream.events.Batch;
import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.nn.TutorialCnn;
import io.backstream.trainer.optim.OptimizerConfig;
import io.backstream.trainer.train.BatchFiller;
import io.backstream.trainer.train.TrainingStep;
import java.util.List;

/** What the trainer must compute, from the engine directly: TutorialCnn seed 0, the optimizer, one TrainingStep per batch. */
final class Engine {
    private Engine() {}

    /** Every step's loss and the weights after the last. */
    record Trained(double[] losses, float[] weights) {}

    static Trained train(OptimizerConfig optimizer, int batchSize, List<Batch> batches) {
        Sequential model = TutorialCnn.create(Runs.INIT_SEED);
        TrainingStep step = new TrainingStep(model, optimizer.build(model.parameters()));
        BatchFiller filler = new BatchFiller(batchSize);
        double[] losses = new double[batches.size()];
        for (int i = 0; i < losses.length; i++) {
            Batch b = batches.get(i);
            losses[i] = step.run(filler.fill(b.pixels(), b.labels(), b.count()), filler.labels());
        }
        return new Trained(losses, model.parameters().values().toFloatVector());
    }
}
