package io.backstream.trainer.service;

import io.backstream.events.OptimizerSpec;
import io.backstream.events.RunSpec;
import io.backstream.trainer.optim.OptimizerConfig;
import java.util.List;

/**
 * A valid {@link RunSpec} turned into what the engine needs: the spec with its omitted top-level
 * fields filled (batch size 1, 1 epoch, the synthetic dataset, SGD) and the optimizer as an
 * {@link OptimizerConfig} (omitted hyper-parameters stay null there and take PyTorch's defaults,
 * SGD's lr 0.001).
 */
record RunSettings(RunSpec spec, OptimizerConfig optimizer) {

    /** @throws InvalidSpecException naming every bad field */
    static RunSettings of(RunSpec spec) {
        List<String> problems = spec.validate();
        if (!problems.isEmpty()) throw new InvalidSpecException(problems);
        OptimizerSpec o = spec.optimizer() == null ? OptimizerSpec.of(null) : spec.optimizer();
        OptimizerSpec filledOptimizer = new OptimizerSpec(o.effectiveType(), o.lr(), o.momentum(), o.dampening(),
                o.nesterov(), o.weightDecay(), o.betas(), o.eps(), o.amsgrad(), o.alpha(), o.centered());
        RunSpec filled = new RunSpec(filledOptimizer,
                spec.batchSize() == null ? RunSpec.DEFAULT_BATCH_SIZE : spec.batchSize(),
                spec.epochs() == null ? RunSpec.DEFAULT_EPOCHS : spec.epochs(),
                spec.shuffleSeed(),
                spec.dataset() == null ? RunSpec.SYNTHETIC : spec.dataset(),
                spec.snapshotEvery(),
                spec.onBadBatch() == null ? RunSpec.FAIL : spec.onBadBatch());
        return new RunSettings(filled, OptimizerConfig.from(filledOptimizer));
    }

    /** betas[0]/[1] become beta1/beta2; everything else keeps its name. */

    int batchSize() {
        return spec.batchSize();
    }

    /** Whether a bad batch record is skipped (else the run fails on it). */
    boolean skipsBadBatches() {
        return RunSpec.SKIP.equals(spec.onBadBatch());
    }

    int epochs() {
        return spec.epochs();
    }

    /** The optimizer's name as the spec spells it ("sgd", "adam", ...). */
    String optimizerName() {
        return spec.optimizer().type();
    }
}
