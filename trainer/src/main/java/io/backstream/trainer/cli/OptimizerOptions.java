package io.backstream.trainer.cli;

import io.backstream.trainer.optim.OptimizerConfig;
import picocli.CommandLine.Option;

/** The optimizer flags of {@code train-local}; unset flags take PyTorch's defaults for the chosen optimizer. */
final class OptimizerOptions {
    @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd | adam | adamw | rmsprop (default: ${DEFAULT-VALUE})")
    String type;

    @Option(names = "--lr", description = "learning rate (default: sgd 0.001, adam/adamw 0.001, rmsprop 0.01)")
    Double lr;

    @Option(names = "--momentum", description = "sgd, rmsprop (default 0)")
    Double momentum;

    @Option(names = "--dampening", description = "sgd (default 0)")
    Double dampening;

    @Option(names = "--nesterov", description = "sgd: Nesterov momentum")
    Boolean nesterov;

    @Option(names = "--weight-decay", description = "all (default 0; adamw 0.01, decoupled)")
    Double weightDecay;

    @Option(names = "--beta1", description = "adam, adamw (default 0.9)")
    Double beta1;

    @Option(names = "--beta2", description = "adam, adamw (default 0.999)")
    Double beta2;

    @Option(names = "--eps", description = "adam, adamw, rmsprop (default 1e-8)")
    Double eps;

    @Option(names = "--amsgrad", description = "adam, adamw: AMSGrad variant")
    Boolean amsgrad;

    @Option(names = "--alpha", description = "rmsprop smoothing constant (default 0.99)")
    Double alpha;

    @Option(names = "--centered", description = "rmsprop: centered variant")
    Boolean centered;

    OptimizerConfig toConfig() {
        return new OptimizerConfig(type, lr, momentum, dampening, nesterov, weightDecay, beta1, beta2, eps, amsgrad, alpha, centered);
    }
}
