package io.backstream.trainer.cli;

import io.backstream.events.KafkaConnection;
import io.backstream.events.Topics;
import io.backstream.trainer.cli.plot.LossChart;
import io.backstream.trainer.cli.plot.LossHistory;
import io.backstream.trainer.cli.plot.RunLoss;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./backstream plot RUN... --out loss.png}: the dashboard's loss curves as a PNG, for people
 * without a browser. Reads the committed {@code training.loss} events straight from Kafka, like any
 * outside client, so it needs the broker and nothing else of the pipeline.
 */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draws runs' loss per step and running loss per epoch into a PNG, read from the training.loss topic.",
                "e.g. ./backstream plot run-1a2b3c4d run-5e6f7a8b --out loss.png; ./backstream plot --all"})
public final class PlotCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RUN", arity = "0..*", description = "run ids, e.g. run-1a2b3c4d (or --all)")
    List<String> runIds = List.of();

    @Option(names = "--all", description = "every run the topic holds")
    boolean all;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "loss.png", description = "the PNG to write (default: ${DEFAULT-VALUE})")
    Path outFile;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "the Kafka broker (default: $BACKSTREAM_KAFKA_BOOTSTRAP, else 127.0.0.1:$BACKSTREAM_KAFKA_PORT or 9092, the local broker's)")
    String bootstrap;

    @Option(names = "--width", defaultValue = "1200", description = "pixels (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--height", defaultValue = "800", description = "pixels (default: ${DEFAULT-VALUE})")
    int height;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10", description = "how long the broker may take to answer (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = new PrintWriter(spec.commandLine().getOut(), true);
        PrintWriter err = new PrintWriter(spec.commandLine().getErr(), true);
        if (all == !runIds.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), "name one or more runs, or --all (not both)");
        if (timeoutSeconds < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be at least 1 second");
        KafkaConnection kafka = KafkaConnection.of(bootstrap != null ? bootstrap : defaultBootstrap());
        Set<String> wanted = new LinkedHashSet<>(runIds);

        LossHistory.Read read;
        try {
            read = LossHistory.read(kafka, id -> all || wanted.contains(id), Duration.ofSeconds(timeoutSeconds), Duration.ofMinutes(5));
        } catch (LossHistory.UnreachableException e) {
            err.println("backstream plot: " + e.getMessage() + " (is it running? ./backstream kafka status; or pass --bootstrap)");
            return 1;
        }
        String where = Topics.TRAINING_LOSS + " at " + kafka.bootstrap();
        if (all && read.runs().isEmpty()) {
            err.println("backstream plot: no runs on " + where);
            return 1;
        }
        Set<String> unknown = new LinkedHashSet<>(wanted);
        unknown.removeAll(read.allRuns().keySet());
        if (!unknown.isEmpty()) {
            err.println("backstream plot: no loss events for " + String.join(", ", unknown) + " on " + where + "; " + known(read));
            return 1;
        }
        List<RunLoss> runs = all ? read.runs() : LossHistory.inOrder(read, runIds);
        LossChart chart;
        try {
            chart = new LossChart(runs, width, height);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        chart.writePng(outFile);
        for (RunLoss r : runs) {
            List<RunLoss.Epoch> epochs = r.epochs();
            out.printf(Locale.ROOT, "%s: %,d steps, %d epoch(s)%s%n", r.label(), r.steps().size(), epochs.size(),
                    epochs.isEmpty() ? "" : String.format(Locale.ROOT, ", last running loss %.4f", epochs.get(epochs.size() - 1).runningLoss()));
        }
        out.printf("wrote %s (%dx%d%s)%n", outFile, width, chart.height(), chart.height() > height ? ", taller than --height to fit the legend" : "");
        return 0;
    }

    private static String known(LossHistory.Read read) {
        int count = read.allRuns().size();
        if (count == 0) return "the topic holds no runs";
        List<String> latest = read.latest(10);
        return (count > latest.size() ? "the latest runs there: " : "runs there: ") + String.join(", ", latest)
                + (count > latest.size() ? " (" + count + " in all; --all plots every one)" : "");
    }

    /** The local broker's address, as scripts/kafka.sh computes it. */
    static String defaultBootstrap() {
        String bootstrap = System.getenv("BACKSTREAM_KAFKA_BOOTSTRAP");
        if (bootstrap != null && !bootstrap.isBlank()) return bootstrap;
        return "127.0.0.1:" + System.getenv().getOrDefault("BACKSTREAM_KAFKA_PORT", "9092");
    }
}
