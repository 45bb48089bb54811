package io.backstream.trainer.cli;

import io.backstream.data.GenerateDataCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./backstream}: the command-line entry point. */
@Command(
        name = "backstream",
        mixinStandardHelpOptions = true,
        version = "backstream 0.1.0",
        description = "Trains the CIFAR-10 tutorial CNN with its own backpropagation on ND4J's native kernels.",
        subcommands = {GenerateDataCommand.class, TrainLocalCommand.class, DemoCommand.class, PlotCommand.class, BenchCommand.class, PipelineBenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Data: the bundled default is SYNCIFAR, generated deterministically into work/data on first use.",
                "Real CIFAR-10: pass --data with cifar-10-binary.tar.gz, cifar-10-python.tar.gz or their extracted folders."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
