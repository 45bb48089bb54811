package io.backstream.trainer.cli;

import io.backstream.trainer.cli.bench.BenchStats;
import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.nn.TutorialCnn;
import io.backstream.trainer.optim.SGD;
import io.backstream.trainer.train.EngineThreads;
import io.backstream.trainer.train.TrainingStep;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./backstream bench}: training and inference images/second, Backstream and PyTorch side by
 * side in one run, alternating per config so both see the same machine state.
 *
 * <p>Method (identical on both sides, see {@code bench/pytorch_bench.py}): the tutorial CNN,
 * SGD(lr=0.001, momentum=0.9: the tutorial's; at 0.01 a fixed random batch of 32 drove the loss
 * to NaN), CrossEntropyLoss; one training iteration = zero_grad + forward + loss + backward + step
 * on a fixed random batch (data loading not timed); inference = forward
 * only. Warm-up as long as one window (untimed: the JVM's JIT needs seconds of batch-1 steps, and
 * both sides get the same), then {@code --windows} windows of at least {@code --min-seconds} (and
 * 50 iterations at batch 1, else 3); the figure is the best window, every window is printed on the
 * {@code #} line after it.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Training and inference images/second, Backstream vs PyTorch 1.13 (python3-torch), same threads, one run.",
                "Measure on an idle machine: with two threads on two cores any other busy process stalls both."})
public final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--threads", defaultValue = "2", description = "threads for both systems (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--configs", split = ",", defaultValue = "train:1,train:64,train:256,infer:256",
            description = "train:<batch> or infer:<batch>, comma-separated (default: ${DEFAULT-VALUE})")
    List<String> configs;

    @Option(names = "--windows", defaultValue = "3", description = "timing windows per config (default: ${DEFAULT-VALUE})")
    int windows;

    @Option(names = "--min-seconds", defaultValue = "2", description = "minimum length of a window (default: ${DEFAULT-VALUE})")
    double minSeconds;

    @Option(names = "--no-pytorch", description = "measure Backstream only")
    boolean noPytorch;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch 1.13 (default: ${DEFAULT-VALUE}, Debian's python3-torch)")
    String python;

    /** picocli's writer (System.out by default), flushed on every line so results show while measuring. */
    private java.io.PrintWriter out;

    private java.io.PrintWriter out() {
        if (out == null) out = new java.io.PrintWriter(spec.commandLine().getOut(), true);
        return out;
    }

    private record Config(String mode, int batch) {
        String label() {
            return mode + " bs=" + batch;
        }
    }

    @Override
    public Integer call() throws Exception {
        List<Config> parsed = parse();
        if (threads < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1");
        if (windows < 1 || minSeconds <= 0) throw new CommandLine.ParameterException(spec.commandLine(), "--windows >= 1 and --min-seconds > 0");
        Nd4j.create(1); // load the native backend before configuring it
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        boolean onednn = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
        out().printf("# backstream: ND4J %s, oneDNN %s, %d thread(s); load average %s%n",
                Nd4j.getBackend().getClass().getSimpleName(), onednn ? "linked" : "ABSENT (slow build)", threads, BenchStats.loadAverage());
        Path script = Home.dir().resolve("bench").resolve("pytorch_bench.py");
        Map<String, Double> ours = new LinkedHashMap<>();
        Map<String, Double> theirs = new LinkedHashMap<>();
        for (Config c : parsed) {
            double[] rates = measure(c);
            ours.put(c.label(), max(rates));
            out().printf(Locale.ROOT, "backstream %s images_per_s=%.1f%n", c.label(), max(rates));
            out().printf(Locale.ROOT, "# backstream %s windows=%s%n", c.label(), join(rates));
            if (!noPytorch) {
                Double r = pytorch(script, c);
                if (r != null) theirs.put(c.label(), r);
            }
        }
        out().printf("# load average after: %s%n", BenchStats.loadAverage());
        for (Config c : parsed) {
            Double p = theirs.get(c.label());
            if (p != null) out().printf(Locale.ROOT, "ratio %s backstream/pytorch=%.2f%n", c.label(), ours.get(c.label()) / p);
        }
        return 0;
    }

    private List<Config> parse() {
        List<Config> out = new ArrayList<>();
        for (String s : configs) {
            String[] parts = s.trim().split(":");
            int batch;
            try {
                batch = parts.length == 2 ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException e) {
                batch = -1;
            }
            if (parts.length != 2 || !(parts[0].equals("train") || parts[0].equals("infer")) || batch < 1 || batch > TrainLocalCommand.MAX_BATCH) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--configs: bad entry '" + s + "': expected train:<batch> or infer:<batch>, batch 1.." + TrainLocalCommand.MAX_BATCH);
            }
            out.add(new Config(parts[0], batch));
        }
        return out;
    }

    private double[] measure(Config c) {
        Sequential model = TutorialCnn.create(0);
        INDArray x = Nd4j.rand(DataType.FLOAT, c.batch(), 3, 32, 32);
        int[] labels = new Random(0).ints(c.batch(), 0, TutorialCnn.CLASSES).toArray();
        IntSupplier iteration;
        if (c.mode().equals("train")) {
            EngineThreads.configure(threads); // threads that each train parts of the batch
            TrainingStep step = new TrainingStep(model, new SGD(model.parameters(), 0.001, 0.9, 0, false, 0));
            iteration = () -> {
                try {
                    step.run(x, labels);
                } catch (TrainingStep.NonFiniteLossException e) {
                    // timing arithmetic on NaNs would measure something else than training
                    throw new IllegalStateException(c.label() + ": the loss became " + e.loss() + "; the timings stop here", e);
                }
                return c.batch();
            };
        } else {
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads); // one forward pass, its operations on all threads
            iteration = () -> {
                model.forward(x);
                return c.batch();
            };
        }
        int minIterations = c.batch() == 1 ? 50 : 3;
        long warmupEnd = System.nanoTime() + (long) (minSeconds * 1e9);
        for (int i = 0; i < 3 || System.nanoTime() < warmupEnd; i++) iteration.getAsInt();
        double[] rates = new double[windows];
        for (int w = 0; w < windows; w++) {
            long images = 0;
            int iterations = 0;
            long start = System.nanoTime();
            double elapsed;
            do {
                images += iteration.getAsInt();
                iterations++;
                elapsed = (System.nanoTime() - start) / 1e9;
            } while (iterations < minIterations || elapsed < minSeconds);
            rates[w] = images / elapsed;
        }
        return rates;
    }

    /** Runs the PyTorch side for one config; prints its lines; returns its best rate, or null if unavailable. */
    private Double pytorch(Path script, Config c) throws IOException, InterruptedException {
        if (!Files.isRegularFile(script)) {
            out().println("# pytorch: " + script + " is missing");
            return null;
        }
        ProcessBuilder pb = new ProcessBuilder(python, script.toString(), "--threads", String.valueOf(threads),
                "--windows", String.valueOf(windows), "--min-seconds", String.valueOf(minSeconds), c.mode() + ":" + c.batch());
        pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
        pb.redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            out().println("# pytorch: cannot run " + python + " (" + e.getMessage() + "); install python3-torch or pass --python");
            noPytorch = true;
            return null;
        }
        Double best = null;
        List<String> other = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("pytorch ") || line.startsWith("# pytorch ")) {
                    out().println(line);
                    int at = line.indexOf("images_per_s=");
                    if (line.startsWith("pytorch ") && at >= 0) best = Double.parseDouble(line.substring(at + "images_per_s=".length()).trim());
                } else {
                    other.add(line);
                }
            }
        }
        if (p.waitFor() != 0 || best == null) {
            String why = other.isEmpty() ? "exit code " + p.exitValue() : other.get(other.size() - 1);
            out().println("# pytorch: not measured: " + why + (why.contains("No module named 'torch'") ? " (apt-get install python3-torch)" : ""));
            noPytorch = true; // don't retry for every config
            return null;
        }
        return best;
    }

    private static double max(double[] a) {
        double m = a[0];
        for (double v : a) m = Math.max(m, v);
        return m;
    }

    private static String join(double[] a) {
        StringBuilder sb = new StringBuilder();
        for (double v : a) sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f", v));
        return sb.toString();
    }
}
