package io.backstream.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backstream.data.BundledData;
import io.backstream.data.CifarDataset;
import io.backstream.data.CifarDatasets;
import io.backstream.data.EpochOrder;
import io.backstream.data.Split;
import io.backstream.trainer.cli.bench.BenchStats;
import io.backstream.trainer.cli.bench.ProcessCpu;
import io.backstream.trainer.cli.bench.LossCollector;
import io.backstream.trainer.cli.demo.LocalPipeline;
import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.nn.TutorialCnn;
import io.backstream.trainer.optim.SGD;
import io.backstream.trainer.train.EngineThreads;
import io.backstream.trainer.train.StepResult;
import io.backstream.trainer.train.TrainingListener;
import io.backstream.trainer.train.TrainingLoop;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./backstream bench-pipeline}: what the pipeline costs, in one run, on this machine — the
 * broker and the four services as child processes (started as {@code demo} starts them), against
 * the same work done in-process.
 *
 * <p>Items 1 and 3 run once per arrangement of the cores ({@code --arrangements}): "shared", every
 * process on any core as {@code demo} runs them, and "apart", the broker and the other services
 * kept to CPU 0 and the trainer's compute held equal to the in-process loop's, so that its ratio is
 * what the pipeline itself costs the trainer (the training target is judged there). Each
 * arrangement starts its own pipeline and first warms it up: batch-size-1 runs until the JIT
 * compilers of the broker and services are quiet ({@link ProcessCpu}), as in a pipeline that has
 * been up a while.
 *
 * <ol>
 *   <li>Training images/second, in-process ({@link TrainingLoop}, SGD momentum 0.9, with the
 *   arrangement's engine threads, the faster counting; the
 *   bundled SYNCIFAR set in file order, whole epochs for at least {@code --seconds}) and through Kafka
 *   (the same spec POSTed to the trainer, the same number of epochs, one run at a time, snapshots
 *   only at epoch ends): both rates from the step times over the steady part (the first
 *   {@code --skip} of the steps left out) — in-process from the loop's own clock, the pipeline's
 *   from the {@code timestamp} of each StepLoss on {@code training.loss}. Beside each pipeline
 *   run, the CPU each process took during it: on a small machine, what the others take bounds the
 *   trainer.</li>
 *   <li>The loader's publish rate: {@code PublishBench} (the service's producer and send path, no
 *   window) in a child JVM on the data-loader's classpath.</li>
 *   <li>Loss event latency: for every step event of the batch-1 run, the wall time a plain
 *   read_committed KafkaConsumer received it minus its {@code timestamp} (same machine, same clock).</li>
 *   <li>The evaluator's scoring rate against raw ONNX Runtime: {@code ScoringBench} in a child JVM
 *   on the evaluator's classpath, on the weights the last pipeline run ended with.</li>
 * </ol>
 */
@Command(name = "bench-pipeline", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The pipeline's speed in one run: training images/s through Kafka vs in-process, the loader's publish",
                "rate, loss-event latency to an outside consumer, the evaluator vs raw ONNX Runtime.",
                "Starts the local broker (unless it runs) and the four services; stops what it started."})
public final class PipelineBenchCommand implements Callable<Integer> {
    private static final double TARGET_TRAIN_RATIO = 0.90;
    private static final double TARGET_PUBLISH = 20_000;
    private static final double TARGET_P99_MS = 100;
    private static final double TARGET_SCORE_RATIO = 0.90;
    private static final String SHARED = "shared";
    private static final String APART = "apart";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "1,64",
            description = "training batch sizes, in-process and through the pipeline (default: ${DEFAULT-VALUE})")
    List<Integer> batchSizes;

    @Option(names = "--seconds", defaultValue = "10",
            description = "in-process training time per batch size, in whole epochs; the pipeline run trains as many epochs (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--lr", defaultValue = "0.001",
            description = "SGD learning rate, momentum 0.9 (default: ${DEFAULT-VALUE}, the tutorial's; 0.01 diverges at batch 1 on SYNCIFAR)")
    double lr;

    @Option(names = "--skip", defaultValue = "0.1", description = "fraction of the first steps left out of the training rates (default: ${DEFAULT-VALUE})")
    double skip;

    @Option(names = "--warmup-epochs", defaultValue = "2",
            description = "epochs of each warm-up run: batch size 1 through the pipeline, before anything is measured (default: ${DEFAULT-VALUE}; 0: no warm-up)")
    int warmupEpochs;

    @Option(names = "--warmup-jit-cores", defaultValue = "0.1",
            description = "warm-up runs follow one another until the JIT compilers of the broker and services together used less than "
                    + "this many cores during one, as in a pipeline that has been up a while (default: ${DEFAULT-VALUE})")
    double warmupJitCores;

    @Option(names = "--warmup-max-seconds", defaultValue = "240",
            description = "no warm-up run starts after this long; the last one's compiler load is printed either way (default: ${DEFAULT-VALUE})")
    double warmupMaxSeconds;

    @Option(names = "--publish-batch-sizes", split = ",", defaultValue = "64,256",
            description = "batch sizes of the loader's publish bench (default: ${DEFAULT-VALUE})")
    List<Integer> publishBatchSizes;

    @Option(names = "--publish-images", defaultValue = "51200", description = "images per publish measurement (default: ${DEFAULT-VALUE})")
    int publishImages;

    @Option(names = "--score-images", defaultValue = "2560", description = "images per scoring repetition (default: ${DEFAULT-VALUE})")
    int scoreImages;

    @Option(names = "--score-repetitions", defaultValue = "5", description = "scoring repetitions, the median counts (default: ${DEFAULT-VALUE})")
    int scoreRepetitions;

    @Option(names = "--threads", defaultValue = "2", description = "the engine's threads in-process (also measured with one: the faster is the baseline) and the cores the pipeline shares (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--trainer-threads", description = "shared: the trainer service's threads for a batch's parts (default: --threads, as demo runs it; a batch in one piece gets one fewer)")
    Integer trainerThreads;

    @Option(names = "--support-nice", defaultValue = "" + LocalPipeline.CpuShare.DEFAULT_SUPPORT_NICE,
            description = "niceness (0..19) of the broker, if this command starts it, and of the data-loader, evaluator and metrics (default: ${DEFAULT-VALUE}, as demo runs them)")
    int supportNice;

    @Option(names = "--support-cpus", paramLabel = "LIST",
            description = "shared: keep the broker (if this command starts it), data-loader, evaluator and metrics to these CPUs (taskset -c LIST, e.g. 1)")
    String supportCpus;

    @Option(names = "--arrangements", split = ",", paramLabel = "shared|apart",
            description = {"how the pipeline shares the cores, one after the other, each started and warmed up afresh "
                    + "(default: shared,apart; shared alone with --threads 1):",
                    "  shared: as demo runs it, every process on any core (or as --trainer-threads, --support-cpus say), against the faster of 1 and --threads engine threads in-process;",
                    "  apart: the broker and the other services kept to CPU 0 at --support-nice, the trainer on --threads minus one, "
                    + "against as many in-process: what the pipeline itself costs the trainer, as on a cluster where each service has its own CPUs"})
    List<String> arrangements;

    @Option(names = "--port", defaultValue = "28080",
            description = "the trainer's port; data-loader, evaluator, metrics take the next three (default: ${DEFAULT-VALUE}, clear of demo's 8080 and the tests' 18080)")
    int port;

    private PrintWriter out;
    /** The arrangements to measure, in order, from the flags ({@link #validate}). */
    private List<Arrangement> plan;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        validate();
        out = new PrintWriter(spec.commandLine().getOut(), true);
        Path home = Home.dir();
        CifarDataset train = CifarDatasets.open(BundledData.ensure(Home.dataDir()).train(), Split.TRAIN);
        out.printf("# bench-pipeline: %d thread(s), SYNCIFAR %,d images, batch sizes %s, >= %s s in-process per batch size, "
                        + "cores shared as %s; load average %s%n",
                threads, train.size(), batchSizes, fmt(seconds), String.join(" then ", arrangements), BenchStats.loadAverage());
        Path logs = home.resolve("work").resolve("logs").resolve("bench-pipeline");
        Results results = new Results();
        boolean ok = true;
        for (int i = 0; i < plan.size(); i++) {
            ok &= measure(plan.get(i), i == plan.size() - 1, home, logs, train, results);
        }
        out.printf("# load average after: %s%n", BenchStats.loadAverage());
        summary(results);
        return ok ? 0 : 1;
    }

    /** How the cores are shared during a set of pipeline runs, and the in-process threads those are held against. */
    private record Arrangement(String name, String description, LocalPipeline.CpuShare share, List<Integer> inProcessThreads) {}

    /** A pipeline run against its in-process baseline; {@code othersCores}: what the other processes took meanwhile (NaN if unknown). */
    private record TrainRow(String arrangement, int bs, double inProcess, double pipeline, double othersCores) {}

    private static final class Results {
        final List<TrainRow> train = new ArrayList<>();
        /** arrangement -> {p50, p99} ms, from its batch-1 run (or its first, without one) */
        final Map<String, double[]> latency = new LinkedHashMap<>();
        final Map<Integer, Double> publish = new LinkedHashMap<>();
        double[] scoring;
    }

    /**
     * One arrangement: its pipeline started and warmed up, then each batch size in-process and
     * through it; the last arrangement also measures the loader's publish rate and the scoring.
     * Stops what it started. False if something could not be measured.
     */
    private boolean measure(Arrangement a, boolean last, Path home, Path logs, CifarDataset train, Results results)
            throws IOException, InterruptedException {
        LocalPipeline.CpuShare share = a.share();
        out.printf("# %s: %s%n", a.name(), a.description());
        out.printf("# %s: trainer %s thread(s) on a batch's parts, %s OpenMP thread(s) on a batch in one piece; "
                        + "data-loader, evaluator, metrics %s%s%s%n",
                a.name(), share.trainerThreads(), share.trainerOpThreads(), share.supportThreads(),
                share.supportNice() == 0 ? "" : ", they and the broker at nice " + share.supportNice(),
                share.supportCpus() == null ? "" : ", they and the broker on CPU(s) " + share.supportCpus());
        LocalPipeline pipeline = new LocalPipeline(home, port, logs, share);
        Thread hook = new Thread(pipeline::close, "bench-pipeline-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean ok = true;
        try {
            pipeline.start(out);
            Path model = logs.resolve("model.onnx");
            try (LossCollector collector = new LossCollector(pipeline.bootstrap(), Duration.ofMillis(100))) {
                if (warmupEpochs > 0) warmUp(pipeline, collector, model);
                for (int bs : batchSizes) ok &= trainRow(a, pipeline, collector, train, bs, model, results);
            }
            if (last) {
                for (int bs : publishBatchSizes) {
                    Double rate = publish(home, pipeline.bootstrap(), bs);
                    if (rate == null) ok = false;
                    else results.publish.put(bs, rate);
                }
                results.scoring = scoring(home, Files.isRegularFile(model) ? model : null);
                if (results.scoring == null) ok = false;
            }
        } finally {
            pipeline.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        return ok;
    }

    /** Batch size {@code bs} in-process (the fastest of the arrangement's thread counts), then through the pipeline. */
    private boolean trainRow(Arrangement a, LocalPipeline pipeline, LossCollector collector, CifarDataset train, int bs, Path model,
            Results results) throws IOException, InterruptedException {
        InProcess local = null;
        for (int t : a.inProcessThreads()) {
            EngineThreads.configure(t);
            InProcess candidate = inProcess(train, bs);
            out.printf(Locale.ROOT, "# %s inprocess bs=%d threads=%d: %.1f images/s, %d epoch(s), %,d steps, %.1f s%n",
                    a.name(), bs, t, candidate.rate, candidate.epochs, candidate.steps, candidate.seconds);
            if (local == null || candidate.rate > local.rate) local = candidate;
        }
        out.printf(Locale.ROOT, "%s inprocess train bs=%d images_per_s=%.1f%n", a.name(), bs, local.rate);
        PipelineRun run = throughPipeline(pipeline, collector, bs, local.epochs, model);
        if (run == null) return false;
        out.printf(Locale.ROOT, "%s pipeline train bs=%d images_per_s=%.1f%n", a.name(), bs, run.rate);
        out.printf(Locale.ROOT, "# %s pipeline bs=%d: run %s, %d epoch(s), %,d step events, epoch summaries' mean %.1f images/s%n",
                a.name(), bs, run.id, local.epochs, run.latencies.length, run.epochSummaryRate);
        out.printf(Locale.ROOT, "# %s pipeline bs=%d: CPU in cores: %s%n", a.name(), bs, cpuLine(run.cpu));
        out.printf(Locale.ROOT, "%s ratio pipeline/inprocess bs=%d = %.2f%n", a.name(), bs, run.rate / local.rate);
        double others = run.cpu.isEmpty() ? Double.NaN : ProcessCpu.totalExcept(run.cpu, "trainer");
        results.train.add(new TrainRow(a.name(), bs, local.rate, run.rate, others));
        double p50 = BenchStats.percentile(run.latencies, 50);
        double p99 = BenchStats.percentile(run.latencies, 99);
        double max = BenchStats.percentile(run.latencies, 100);
        if (bs == 1 || (!results.latency.containsKey(a.name()) && !batchSizes.contains(1))) {
            out.printf(Locale.ROOT, "%s loss event latency p50_ms=%.0f p99_ms=%.0f%n", a.name(), p50, p99);
            results.latency.put(a.name(), new double[] {p50, p99});
        }
        out.printf(Locale.ROOT, "# %s loss event latency bs=%d p50_ms=%.0f p99_ms=%.0f max_ms=%.0f over %,d events%n",
                a.name(), bs, p50, p99, max, run.latencies.length);
        return true;
    }

    private void validate() {
        CommandLine cl = spec.commandLine();
        if (batchSizes.isEmpty()) throw new CommandLine.ParameterException(cl, "--batch-sizes: at least one");
        for (int bs : batchSizes) {
            if (bs < 1 || bs > TrainLocalCommand.MAX_BATCH) throw new CommandLine.ParameterException(cl, "--batch-sizes: " + bs + " is outside 1.." + TrainLocalCommand.MAX_BATCH);
        }
        for (int bs : publishBatchSizes) {
            if (bs < 1 || bs > TrainLocalCommand.MAX_BATCH) throw new CommandLine.ParameterException(cl, "--publish-batch-sizes: " + bs + " is outside 1.." + TrainLocalCommand.MAX_BATCH);
        }
        if (!(seconds > 0) || seconds > 3600) throw new CommandLine.ParameterException(cl, "--seconds must be in (0, 3600], got " + seconds);
        if (!(skip >= 0 && skip < 0.9)) throw new CommandLine.ParameterException(cl, "--skip must be in [0, 0.9), got " + skip);
        if (warmupEpochs < 0 || warmupEpochs > 100) throw new CommandLine.ParameterException(cl, "--warmup-epochs must be in 0..100, got " + warmupEpochs);
        if (!(warmupJitCores >= 0 && warmupJitCores <= 2)) throw new CommandLine.ParameterException(cl, "--warmup-jit-cores must be in [0, 2], got " + warmupJitCores);
        if (!(warmupMaxSeconds >= 0 && warmupMaxSeconds <= 3600)) throw new CommandLine.ParameterException(cl, "--warmup-max-seconds must be in [0, 3600], got " + warmupMaxSeconds);
        if (publishImages < 1) throw new CommandLine.ParameterException(cl, "--publish-images must be >= 1");
        if (scoreImages < 1 || scoreRepetitions < 1) throw new CommandLine.ParameterException(cl, "--score-images and --score-repetitions must be >= 1");
        if (!(lr > 0) || lr > 10) throw new CommandLine.ParameterException(cl, "--lr must be in (0, 10], got " + lr);
        if (threads < 1) throw new CommandLine.ParameterException(cl, "--threads must be >= 1");
        if (trainerThreads != null && trainerThreads < 1) throw new CommandLine.ParameterException(cl, "--trainer-threads must be >= 1");
        if (arrangements == null) arrangements = threads >= 2 ? List.of(SHARED, APART) : List.of(SHARED);
        if (arrangements.isEmpty() || arrangements.stream().distinct().count() < arrangements.size()
                || !List.of(SHARED, APART).containsAll(arrangements)) {
            throw new CommandLine.ParameterException(cl, "--arrangements: " + SHARED + " and/or " + APART + ", each once, got " + arrangements);
        }
        if (arrangements.contains(APART) && threads < 2) {
            throw new CommandLine.ParameterException(cl, "--arrangements " + APART + " needs --threads 2 or more (the trainer keeps all but one core), got " + threads);
        }
        plan = new ArrayList<>();
        for (String name : arrangements) plan.add(name.equals(SHARED) ? shared(cl) : apart(cl));
        if (port < 1024 || port > 65532) throw new CommandLine.ParameterException(cl, "--port must be in 1024..65532, got " + port);
    }

    /** As demo shares the cores, unless the flags say otherwise (CpuShare checks the niceness and CPU list). */
    private Arrangement shared(CommandLine cl) {
        LocalPipeline.CpuShare share = LocalPipeline.CpuShare.forCores(threads);
        if (trainerThreads != null) share = share.withTrainerThreads(Integer.toString(trainerThreads));
        try {
            share = share.withSupport(supportNice, supportCpus);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--support-nice/--support-cpus: " + e.getMessage());
        }
        return new Arrangement(SHARED, "every process on any of the " + threads + " cores, as demo runs them; "
                + "the in-process baseline is the faster of 1 and " + threads + " engine thread(s)",
                share, List.copyOf(new java.util.TreeSet<>(List.of(1, threads))));
    }

    /** The trainer's compute kept from the others (CpuShare.apart), against as many engine threads in-process. */
    private Arrangement apart(CommandLine cl) {
        LocalPipeline.CpuShare share;
        try {
            share = LocalPipeline.CpuShare.apart(threads).withSupport(supportNice, "0");
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--support-nice: " + e.getMessage());
        }
        return new Arrangement(APART, "the broker and the other services kept to CPU 0, the trainer on " + (threads - 1)
                + " thread(s), against as many in-process: what the pipeline costs the trainer when its cores are its own",
                share, List.of(threads - 1));
    }

    /**
     * Batch-size-1 runs of {@code --warmup-epochs} epochs through the pipeline, one after another, until
     * the compiler threads of the broker and services used less than {@code --warmup-jit-cores} during
     * one (at least one run; none starts after {@code --warmup-max-seconds}).
     */
    private void warmUp(LocalPipeline pipeline, LossCollector collector, Path model) throws IOException, InterruptedException {
        long start = System.nanoTime();
        int runs = 0;
        PipelineRun warm;
        do {
            warm = throughPipeline(pipeline, collector, 1, warmupEpochs, model);
            if (warm == null) {
                out.println("# warm-up: a run did not complete (see above); measuring anyway");
                return;
            }
            runs++;
        } while (!warm.cpu.isEmpty() && ProcessCpu.compilerTotal(warm.cpu) >= warmupJitCores && (System.nanoTime() - start) / 1e9 < warmupMaxSeconds);
        double jit = ProcessCpu.compilerTotal(warm.cpu);
        StringBuilder per = new StringBuilder();
        warm.cpu.forEach((name, cores) -> per.append(String.format(Locale.ROOT, " %s %.2f", name, cores.compiler())));
        out.printf(Locale.ROOT, "# warm-up: %d run(s) of %d epoch(s) at batch size 1 in %.0f s, the last at %.1f images/s (not counted); "
                        + "JIT compilers during it: %s%n", runs, warmupEpochs, (System.nanoTime() - start) / 1e9, warm.rate,
                warm.cpu.isEmpty() ? "not measurable here (no /proc)"
                        : String.format(Locale.ROOT, "%.2f cores (%s)%s", jit, per.toString().trim(),
                                jit >= warmupJitCores ? ", still above --warmup-jit-cores " + warmupJitCores : ""));
    }

    /** Each process's CPU during a run, in cores, and what that leaves the trainer on this machine. */
    private String cpuLine(Map<String, ProcessCpu.Usage> cpu) {
        if (cpu.isEmpty()) return "not measurable here (no /proc)";
        StringBuilder sb = new StringBuilder();
        cpu.forEach((name, u) -> sb.append(String.format(Locale.ROOT, "%s %.2f, ", name, u.total())));
        int cores = Runtime.getRuntime().availableProcessors();
        double others = ProcessCpu.totalExcept(cpu, "trainer");
        return sb + String.format(Locale.ROOT, "the others %.2f of %d cores: the trainer can have at most %.2f", others, cores, cores - others);
    }

    private record InProcess(double rate, int epochs, long steps, double seconds) {}

    /** Whole epochs of the tutorial's loop until {@code --seconds} have passed; the steady-state rate of its steps. */
    private InProcess inProcess(CifarDataset train, int bs) {
        Sequential model = TutorialCnn.create(0);
        TrainingLoop loop = new TrainingLoop(model, new SGD(model.parameters(), lr, 0.9, 0, false, 0), train, bs, EpochOrder.fileOrder());
        List<long[]> steps = new ArrayList<>(); // {nanoTime, images}
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStep(StepResult s) {
                steps.add(new long[] {System.nanoTime(), s.batchSize()});
            }
        };
        long start = System.nanoTime();
        int epochs = 0;
        do {
            loop.runEpoch(++epochs, listener);
        } while ((System.nanoTime() - start) / 1e9 < seconds && epochs < 10_000);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] times = new long[steps.size()];
        int[] images = new int[steps.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = steps.get(i)[0];
            images[i] = (int) steps.get(i)[1];
        }
        return new InProcess(BenchStats.steadyRate(times, images, skip, 1e9), epochs, times.length, elapsed);
    }

    /** A run through the pipeline; {@code cpu}: each process's cores from the POST to the run's end (empty without /proc). */
    private record PipelineRun(String id, double rate, double epochSummaryRate, double[] latencies, Map<String, ProcessCpu.Usage> cpu) {}

    /** The same spec through the trainer; null (and a line saying why) if the run did not complete. */
    private PipelineRun throughPipeline(LocalPipeline pipeline, LossCollector collector, int bs, int epochs, Path model)
            throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode();
        body.putObject("optimizer").put("type", "sgd").put("lr", lr).put("momentum", 0.9);
        body.put("batchSize", bs).put("epochs", epochs).put("dataset", "synthetic").put("snapshotEvery", 1_000_000_000L);
        String base = "http://127.0.0.1:" + pipeline.trainerPort() + "/api/runs";
        Map<String, Long> pids = new LinkedHashMap<>(pipeline.pids());
        pids.put("this command", ProcessHandle.current().pid()); // its loss consumer is the outside reader
        Map<String, ProcessCpu.Usage> cpuBefore = ProcessCpu.read(pids);
        long cpuFrom = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + pipeline.apiToken())
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            out.println("# pipeline bs=" + bs + ": the trainer refused the run (" + r.statusCode() + "): " + r.body());
            return null;
        }
        String id = json.readTree(r.body()).get("id").asText();
        // no step event can precede this: the loader publishes the run's first batch only after it reads START
        collector.follow(id);
        if (!collector.awaitEpochs(epochs, Duration.ofSeconds(120))) {
            out.println("# pipeline bs=" + bs + ": run " + id + " sent nothing for 120 s; state: " + state(base, id) + " (logs in work/logs/bench-pipeline/)");
            return null;
        }
        JsonNode last = awaitFinal(base, id);
        Map<String, ProcessCpu.Usage> cpu = ProcessCpu.busyCores(cpuBefore, ProcessCpu.read(pids), (System.nanoTime() - cpuFrom) / 1e9);
        if (!"COMPLETED".equals(last.path("state").asText())) {
            out.println("# pipeline bs=" + bs + ": run " + id + " ended " + last);
            return null;
        }
        HttpResponse<byte[]> onnx = http.send(HttpRequest.newBuilder(URI.create(base + "/" + id + "/model.onnx")).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (onnx.statusCode() == 200) Files.write(model, onnx.body());

        List<LossCollector.Received> steps = new ArrayList<>(collector.steps());
        steps.sort((a, b) -> Long.compare(a.step().step(), b.step().step()));
        long[] times = new long[steps.size()];
        int[] images = new int[steps.size()];
        double[] latencies = new double[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            LossCollector.Received s = steps.get(i);
            times[i] = s.step().timestamp();
            images[i] = imagesOf(s.step().step(), bs);
            latencies[i] = s.receivedMillis() - s.step().timestamp();
        }
        double epochRate = collector.epochRates().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return new PipelineRun(id, BenchStats.steadyRate(times, images, skip, 1000), epochRate, latencies, cpu);
    }

    private int datasetSize = -1;

    /** Images in step {@code step} (1-based, over the run) of a run over the bundled set in batches of {@code bs}. */
    private int imagesOf(long step, int bs) throws IOException {
        if (datasetSize < 0) datasetSize = CifarDatasets.open(BundledData.ensure(Home.dataDir()).train(), Split.TRAIN).size();
        int perEpoch = (datasetSize + bs - 1) / bs;
        int inEpoch = (int) ((step - 1) % perEpoch);
        return Math.min(bs, datasetSize - inEpoch * bs);
    }

    private JsonNode awaitFinal(String base, String id) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode s = state(base, id);
        while (System.nanoTime() < deadline && !List.of("COMPLETED", "FAILED", "STOPPED").contains(s.path("state").asText())) {
            Thread.sleep(100);
            s = state(base, id);
        }
        return s;
    }

    private JsonNode state(String base, String id) throws IOException, InterruptedException {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/" + id)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    /** PublishBench on the data-loader's classpath; its rate, or null. */
    private Double publish(Path home, String bootstrap, int bs) throws IOException, InterruptedException {
        int batches = Math.max(20, publishImages / bs);
        List<String> lines = module(home, "data-loader", "io.backstream.data.service.PublishBench", bootstrap,
                List.of(Integer.toString(batches), Integer.toString(bs)));
        Double rate = null;
        for (String line : lines) {
            if (line.startsWith("loader publish images_per_s=")) {
                rate = Double.parseDouble(line.substring("loader publish images_per_s=".length()).trim());
                out.printf(Locale.ROOT, "loader publish bs=%d images_per_s=%.0f%n", bs, rate);
            } else if (line.trim().startsWith("(")) {
                out.println("# loader publish bs=" + bs + " " + line.trim());
            }
        }
        if (rate == null) out.println("# loader publish bs=" + bs + ": not measured: " + (lines.isEmpty() ? "no output" : lines.get(lines.size() - 1)));
        return rate;
    }

    /** ScoringBench on the evaluator's classpath; {evaluator, raw} images/s, or null. */
    private double[] scoring(Path home, Path model) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        Path reference = home.resolveSibling("shared").resolve("reference");
        if (model == null) model = reference.resolve("golden").resolve("model_init.onnx");
        args.add(model.toString());
        args.add(Integer.toString(scoreImages));
        args.add(Integer.toString(scoreRepetitions));
        List<String> lines = module(home, "evaluator", "io.backstream.evaluator.service.ScoringBench", null, args,
                "-Dbackstream.reference=" + reference);
        Double ours = null;
        Double raw = null;
        for (String line : lines) {
            if (line.startsWith("evaluator score images_per_s=")) {
                ours = Double.parseDouble(line.substring(line.indexOf('=') + 1).trim());
                out.println(line);
            } else if (line.startsWith("onnxruntime raw images_per_s=")) {
                raw = Double.parseDouble(line.substring(line.indexOf('=') + 1).trim());
                out.println(line);
            } else if (line.startsWith("ratio evaluator/raw=")) {
                out.println(line);
            } else if (line.startsWith("model ")) {
                out.println("# scoring: " + line);
            }
        }
        if (ours == null || raw == null) {
            out.println("# scoring: not measured: " + (lines.isEmpty() ? "no output" : lines.get(lines.size() - 1)));
            return null;
        }
        return new double[] {ours, raw};
    }

    /** Runs a module's main class in a child JVM on its quarkus-app classpath; returns its output lines. */
    private List<String> module(Path home, String module, String mainClass, String bootstrap, List<String> args, String... jvmArgs)
            throws IOException, InterruptedException {
        Path app = home.resolve(module).resolve("target").resolve("quarkus-app");
        if (!Files.isDirectory(app)) return List.of(app + " is missing (build with mvn package)");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.add("-Dbackstream.home=" + home);
        cmd.addAll(List.of(jvmArgs));
        cmd.add("-cp");
        cmd.add(app.resolve("app") + "/*:" + app.resolve("lib").resolve("main") + "/*");
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (bootstrap != null) pb.environment().put("BACKSTREAM_KAFKA_BOOTSTRAP", bootstrap);
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) lines.add(line);
        }
        int code = p.waitFor();
        if (code != 0) lines.add(mainClass + " exited with code " + code);
        return lines;
    }

    /**
     * The targets. The training target (the pipeline keeps 90 % of in-process speed) is about what the
     * pipeline costs the trainer, so it is judged where the trainer's compute is held equal, "apart";
     * "shared" rows show what this machine delivers with every process on the same cores, next to
     * the CPU the others took (its bound). Without "apart", "shared" is judged.
     */
    private void summary(Results r) {
        out.println();
        out.println("# summary                                   measured      target   met");
        boolean apartMeasured = r.train.stream().anyMatch(t -> t.arrangement().equals(APART));
        int cores = Runtime.getRuntime().availableProcessors();
        for (TrainRow t : r.train) {
            double ratio = t.pipeline() / t.inProcess();
            String what = String.format(Locale.ROOT, "pipeline/inprocess bs=%d, %s", t.bs(), t.arrangement());
            String measured = String.format(Locale.ROOT, "%.2f", ratio);
            if (t.arrangement().equals(APART) || !apartMeasured) {
                row(what, measured, ">= " + TARGET_TRAIN_RATIO, ratio >= TARGET_TRAIN_RATIO ? "yes" : "NO");
            } else {
                row(what, measured, "-", Double.isNaN(t.othersCores()) ? ""
                        : String.format(Locale.ROOT, "(the others took %.2f of %d cores)", t.othersCores(), cores));
            }
        }
        for (Map.Entry<Integer, Double> e : r.publish.entrySet()) {
            row("loader publish bs=" + e.getKey() + " images/s", String.format(Locale.ROOT, "%,.0f", e.getValue()), ">= 20,000",
                    e.getValue() >= TARGET_PUBLISH ? "yes" : "NO");
        }
        r.latency.forEach((arrangement, l) -> row("loss event latency p99 ms, " + arrangement, String.format(Locale.ROOT, "%.0f", l[1]),
                "< 100", l[1] < TARGET_P99_MS ? "yes" : "NO"));
        if (r.scoring != null) {
            double ratio = r.scoring[0] / r.scoring[1];
            row("evaluator/raw ONNX Runtime", String.format(Locale.ROOT, "%.2f", ratio), ">= 0.9", ratio >= TARGET_SCORE_RATIO ? "yes" : "NO");
        }
    }

    private void row(String what, String measured, String target, String met) {
        out.printf(Locale.ROOT, "# %-39s %10s  %10s   %s%n", what, measured, target, met);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
