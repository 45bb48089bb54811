package io.backstream.trainer.cli;

import io.backstream.data.EpochOrder;
import io.backstream.data.BundledData;
import io.backstream.data.CifarDataset;
import io.backstream.data.CifarDatasets;
import io.backstream.data.DatasetFormatException;
import io.backstream.data.Split;
import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.nn.TutorialCnn;
import io.backstream.trainer.onnx.OnnxExport;
import io.backstream.trainer.onnx.OnnxFormatException;
import io.backstream.trainer.onnx.OnnxImport;
import io.backstream.trainer.optim.Optimizer;
import io.backstream.trainer.train.DivergedException;
import io.backstream.trainer.train.EngineThreads;
import io.backstream.trainer.train.EpochSummary;
import io.backstream.trainer.train.Evaluation;
import io.backstream.trainer.train.StepResult;
import io.backstream.trainer.train.TrainingListener;
import io.backstream.trainer.train.TrainingLoop;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./backstream train-local}: the tutorial's loop in-process, without Kafka. */
@Command(
        name = "train-local",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Trains the tutorial CNN in-process, exactly like the tutorial: for each epoch, for each batch:",
            "zero_grad, forward, loss, backward, step. Prints each epoch's running loss (the sum of its step losses)."
        })
public final class TrainLocalCommand implements Callable<Integer> {
    /** Larger batches gain nothing on this network and only cost memory. */
    static final int MAX_BATCH = 4096;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "PATH",
            description = "training data: a CIFAR-10 .bin file, cifar-10-batches-bin/ or -py/ folder, or either .tar.gz (default: the bundled SYNCIFAR set)")
    Path data;

    @Option(names = "--test-data", paramLabel = "PATH",
            description = "held-out data scored after each epoch (default: the test split of --data where it has one)")
    Path testData;

    @Option(names = "--epochs", defaultValue = "1", description = "default: ${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "1", description = "default: ${DEFAULT-VALUE}, as the tutorial")
    int batchSize;

    @ArgGroup(exclusive = true)
    Order order = new Order();

    static final class Order {
        @Option(names = "--shuffle", paramLabel = "SEED", description = "shuffle each epoch from this seed")
        Long shuffleSeed;

        @Option(names = "--no-shuffle", description = "keep file order (the default, as DataLoader(shuffle=False))")
        boolean noShuffle;
    }

    @Mixin
    OptimizerOptions optimizer = new OptimizerOptions();

    @Option(names = "--seed", defaultValue = "0", description = "seed of the initial weights (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--init", paramLabel = "FILE.onnx", description = "start from the weights of an ONNX file of this architecture (e.g. torch.onnx.export's)")
    Path init;

    @Option(names = "--export", paramLabel = "FILE.onnx", description = "write the final weights as ONNX")
    Path export;

    @Option(names = "--loss-log", paramLabel = "FILE", description = "one JSON object per step: epoch, step, loss, ...")
    Path lossLog;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = new PrintWriter(spec.commandLine().getOut(), true); // flushes on every line
        PrintWriter err = new PrintWriter(spec.commandLine().getErr(), true);
        validate();
        Sequential model = TutorialCnn.create(seed);
        Optimizer opt;
        try {
            opt = optimizer.toConfig().build(model.parameters());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "invalid optimizer settings: " + e.getMessage());
        }
        if (init != null) {
            requireFile(init, "--init");
            try {
                OnnxImport.load(init, model.toOnnx(), model.parameters());
            } catch (OnnxFormatException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--init: " + init + ": " + e.getMessage());
            }
        }
        Path trainPath = data != null ? data : BundledData.ensure(Home.dataDir()).train();
        CifarDataset train;
        CifarDataset test;
        try {
            train = CifarDatasets.open(trainPath, Split.TRAIN);
            test = openTestSet(trainPath);
        } catch (DatasetFormatException e) { // names the file and byte offset
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot read the data: " + e.getMessage());
        }

        EpochOrder epochOrder = order.shuffleSeed != null ? EpochOrder.shuffled(order.shuffleSeed) : EpochOrder.fileOrder();
        TrainingLoop loop = new TrainingLoop(model, opt, train, batchSize, epochOrder);
        out.printf("data:      %s (%,d images%s)%n", train.source(), train.size(), test == null ? "" : String.format(", test %,d", test.size()));
        out.printf("model:     tutorial CNN, %,d parameters%s%n", model.parameters().count(), init != null ? ", from " + init : ", seed " + seed);
        out.printf("optimizer: %s%n", opt.describe());
        EngineThreads.configureFromEnvironment();
        out.printf("training:  %d epoch(s) x %,d steps, batch size %d, %s, %d thread(s)%n", epochs, loop.stepsPerEpoch(), batchSize,
                epochOrder, EngineThreads.count());

        ProgressBar bar = new ProgressBar(err, System.console() != null, epochs);
        try (BufferedWriter log = lossLog == null ? null : Files.newBufferedWriter(lossLog)) {
            TrainingListener listener = new TrainingListener() {
                @Override
                public void onStep(StepResult s) {
                    bar.update(s);
                    if (log != null) writeLogLine(log, s, opt);
                }

                @Override
                public void onEpoch(EpochSummary e) {
                    bar.clear();
                    out.printf(Locale.ROOT, "[epoch %d] running loss: %.4f  (mean %.4f over %,d steps, %.0f images/s, %.1f s)%n",
                            e.epoch(), e.runningLoss(), e.meanLoss(), e.steps(), e.imagesPerSecond(), e.seconds());
                    if (test != null) {
                        Evaluation.Result r = Evaluation.of(model, test, 256);
                        out.printf(Locale.ROOT, "          test accuracy: %.2f%%  test loss: %.4f  (%,d images)%n",
                                100 * r.accuracy(), r.meanLoss(), r.count());
                    }
                }
            };
            loop.run(epochs, listener);
        } catch (DivergedException e) {
            bar.clear();
            err.println("backstream train-local: " + e.getMessage());
            return 1;
        }
        if (export != null) {
            OnnxExport.write(export, model.toOnnx(), model.parameters());
            out.println("exported:  " + export);
        }
        return 0;
    }

    private void validate() {
        if (epochs <= 0) throw new CommandLine.ParameterException(spec.commandLine(), "--epochs must be at least 1, got " + epochs);
        if (batchSize <= 0 || batchSize > MAX_BATCH) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch-size must be in 1.." + MAX_BATCH + ", got " + batchSize);
        }
        if (data != null) requireExists(data, "--data");
        if (testData != null) requireExists(testData, "--test-data");
        if (export != null) requireWritableParent(export, "--export");
        if (lossLog != null) requireWritableParent(lossLog, "--loss-log");
    }

    private CifarDataset openTestSet(Path trainPath) throws IOException {
        if (testData != null) return CifarDatasets.open(testData, Split.TEST);
        if (data == null) return CifarDatasets.open(BundledData.ensure(Home.dataDir()).test(), Split.TEST);
        if (Files.isRegularFile(trainPath) && !trainPath.getFileName().toString().endsWith(".tar.gz")) return null; // a single batch file
        return CifarDatasets.open(trainPath, Split.TEST);
    }

    private void requireExists(Path p, String flag) {
        if (!Files.exists(p)) throw new CommandLine.ParameterException(spec.commandLine(), flag + ": " + p + " does not exist");
    }

    private void requireFile(Path p, String flag) {
        if (!Files.isRegularFile(p)) throw new CommandLine.ParameterException(spec.commandLine(), flag + ": " + p + " is not a file");
    }

    private void requireWritableParent(Path p, String flag) {
        Path parent = p.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            throw new CommandLine.ParameterException(spec.commandLine(), flag + ": cannot write " + p + " (no writable folder " + parent + ")");
        }
    }

    private static void writeLogLine(BufferedWriter log, StepResult s, Optimizer opt) {
        try {
            log.write(String.format(Locale.ROOT,
                    "{\"epoch\":%d,\"step\":%d,\"stepInEpoch\":%d,\"loss\":%s,\"batchSize\":%d,\"optimizer\":\"%s\",\"imagesPerSecond\":%.1f}%n",
                    s.epoch(), s.step(), s.stepInEpoch(), Double.toString(s.loss()), s.batchSize(), opt.name(), s.imagesPerSecond()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
