package io.backstream.trainer.train;

import io.backstream.trainer.nn.CrossEntropyLoss;
import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.optim.Optimizer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One optimisation step on one batch: zero_grad, forward, loss, backward, step. */
public final class TrainingStep {
    private final Sequential model;
    private final Optimizer optimizer;
    private final CrossEntropyLoss criterion = new CrossEntropyLoss();

    public TrainingStep(Sequential model, Optimizer optimizer) {
        if (optimizer.parameters() != model.parameters()) {
            throw new IllegalArgumentException("the optimizer must be built on this model's parameters");
        }
        this.model = model;
        this.optimizer = optimizer;
    }

    /**
     * Runs the step and returns the loss before the update. A NaN or infinite loss throws before
     * anything is changed (the step is not applied).
     */
    public double run(INDArray images, int[] labels) {
        optimizer.zeroGrad();
        double loss = criterion.forward(model.forward(images), labels);
        if (!Double.isFinite(loss)) throw new NonFiniteLossException(loss);
        model.backwardParameters(criterion.gradient());
        optimizer.step();
        return loss;
    }

    public Sequential model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The loss of a step was NaN or infinite. */
    public static final class NonFiniteLossException extends RuntimeException {
        private final double loss;

        NonFiniteLossException(double loss) {
            super("loss is " + loss);
            this.loss = loss;
        }

        public double loss() {
            return loss;
        }
    }
}
