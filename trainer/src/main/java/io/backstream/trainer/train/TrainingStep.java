package io.backstream.trainer.train;

import io.backstream.trainer.nn.CrossEntropyLoss;
import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.optim.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One optimisation step on one batch: zero_grad, forward, loss, backward, step.
 *
 * <p>A batch of more than {@value #PART_IMAGES} images is cut into parts of at most that many
 * (as equal as can be) that go forward and backward at the same time on the engine's threads
 * ({@link EngineThreads}, one OpenMP thread each), each on a replica of the model that shares its weights
 * ({@link Sequential#replica()}); part 0 runs on the model itself. Each part's loss is its share of
 * the batch's mean, so the parts' gradients add up to the batch's:
 * <pre>
 * loss = Σ_p Σ_{n∈p} l_n / N          grad = g_0 + g_1 + … + g_{P−1}   (summed in part order)
 * </pre>
 * The parts depend on the batch size only and are summed in a fixed order, so a step gives the
 * same bits on one thread or several, in whatever order the threads finish.
 */
public final class TrainingStep {
    /**
     * Images per part. One thread trains 16 images about as fast per image as 64 (2,000 against
     * 2,000–2,180 images/s, 2 cores), so small parts cost nothing and spread well over threads.
     */
    static final int PART_IMAGES = 16;

    private final Sequential model;
    private final Optimizer optimizer;
    private final int partImages;
    /** criteria.get(p) and, for p ≥ 1, replicas.get(p − 1) compute part p; made as batches need them. */
    private final List<CrossEntropyLoss> criteria = new ArrayList<>();
    private final List<Sequential> replicas = new ArrayList<>();

    public TrainingStep(Sequential model, Optimizer optimizer) {
        this(model, optimizer, PART_IMAGES);
    }

    /** @param partImages images per part: {@link Integer#MAX_VALUE} trains every batch in one piece */
    TrainingStep(Sequential model, Optimizer optimizer, int partImages) {
        if (optimizer.parameters() != model.parameters()) {
            throw new IllegalArgumentException("the optimizer must be built on this model's parameters");
        }
        if (partImages < 1) throw new IllegalArgumentException("partImages must be positive, got " + partImages);
        this.model = model;
        this.optimizer = optimizer;
        this.partImages = partImages;
        criteria.add(new CrossEntropyLoss());
    }

    /**
     * Runs the step and returns the loss before the update. A NaN or infinite loss throws before
     * anything is changed (the step is not applied).
     */
    public double run(INDArray images, int[] labels) {
        int n = (int) images.size(0);
        int parts = (int) Math.min(Integer.MAX_VALUE, ((long) n + partImages - 1) / partImages);
        optimizer.zeroGrad();
        double loss;
        if (parts <= 1) {
            EngineThreads.onePiece();
            CrossEntropyLoss criterion = criteria.get(0);
            loss = criterion.forward(model.forward(images), labels);
            if (!Double.isFinite(loss)) throw new NonFiniteLossException(loss);
            model.backwardParameters(criterion.gradient());
        } else {
            loss = runInParts(images, labels, n, parts);
        }
        optimizer.step();
        return loss;
    }

    private double runInParts(INDArray images, int[] labels, int n, int parts) {
        while (replicas.size() < parts - 1) replicas.add(model.replica());
        while (criteria.size() < parts) criteria.add(new CrossEntropyLoss());
        List<Callable<Double>> tasks = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) p * n / parts);
            int to = (int) ((long) (p + 1) * n / parts);
            Sequential m = p == 0 ? model : replicas.get(p - 1);
            CrossEntropyLoss criterion = criteria.get(p);
            INDArray x = images.get(NDArrayIndex.interval(from, to));
            int[] y = Arrays.copyOfRange(labels, from, to);
            tasks.add(() -> {
                EngineThreads.onePart();
                m.zeroGrad();
                double share = criterion.forward(m.forward(x), y, n);
                if (Double.isFinite(share)) m.backwardParameters(criterion.gradient());
                return share;
            });
        }
        EngineThreads.onePart(); // libnd4j keeps one thread count for the process: set it here, not only in each task
        List<Double> shares = EngineThreads.runAll(tasks);
        double loss = 0;
        for (double share : shares) loss += share;
        if (!Double.isFinite(loss)) throw new NonFiniteLossException(loss);
        INDArray grads = model.parameters().grads();
        for (int p = 1; p < parts; p++) grads.addi(replicas.get(p - 1).parameters().grads());
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
