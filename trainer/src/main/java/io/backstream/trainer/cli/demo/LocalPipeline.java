package io.backstream.trainer.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline on this machine: the local Kafka broker ({@code scripts/kafka.sh}, started only if
 * it is not already running) and the four services as child JVMs on {@code basePort} (trainer),
 * +1 (data-loader), +2 (evaluator), +3 (metrics). Once they are ready, each service is supervised
 * ({@link Supervisor}): a service that dies, e.g. {@code kill -9}, is restarted as Kubernetes would
 * restart its pod. {@link #close()} ends the supervision and stops what {@link #start} started,
 * services first (they flush), then the broker if this pipeline started it.
 *
 * <p>The trainer's control API needs an operator token for every call that changes a run: the
 * pipeline makes one at first start ({@link ApiTokenFile}, {@code work/api-token}, mode 0600) and
 * hands it to the trainer through {@code BACKSTREAM_AUTH_TOKENS}; clients send {@link #apiToken()}.
 */
public final class LocalPipeline implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    /**
     * How the pipeline shares this machine's cores. The trainer trains the parts of a batch on
     * {@code trainerThreads} threads (OMP_NUM_THREADS; each a single OpenMP thread, so a preempted
     * one stalls nobody) and a batch too small to split (16 images or fewer) with
     * {@code trainerOpThreads} OpenMP threads inside each operation (BACKSTREAM_OP_THREADS): those
     * meet at a barrier after every operation, so a thread preempted by the broker or another
     * service stalls all of them. The other processes (the broker, if this pipeline starts it, the
     * data-loader, evaluator and metrics) can be kept to {@code supportCpus} ({@code taskset -c},
     * e.g. "1") and run at a lower priority ({@code nice -n supportNice}).
     *
     * @param trainerThreads the trainer's threads for the parts of a batch
     * @param trainerOpThreads the trainer's OpenMP threads for a batch in one piece
     * @param supportThreads OMP_NUM_THREADS of the data-loader, evaluator and metrics, and the evaluator's ONNX Runtime threads
     * @param supportNice 0..19
     * @param supportCpus a CPU list for {@code taskset -c}, or null for any CPU
     */
    public record CpuShare(String trainerThreads, String trainerOpThreads, String supportThreads, int supportNice, String supportCpus) {
        public CpuShare {
            if (supportNice < 0 || supportNice > 19) throw new IllegalArgumentException("supportNice must be in 0..19, got " + supportNice);
            if (supportCpus != null && !supportCpus.matches("[0-9]+([-,][0-9]+)*")) {
                throw new IllegalArgumentException("supportCpus must be a CPU list such as 1 or 2-3, got '" + supportCpus + "'");
            }
        }

        /** Every service with the same threads and priority, on any CPU. */
        public static CpuShare even(String ompThreads) {
            return new CpuShare(ompThreads, ompThreads, ompThreads, 0, null);
        }

        /** The niceness of the broker and the other services beside the trainer by default ({@link #forCores}). */
        public static final int DEFAULT_SUPPORT_NICE = 10;

        /**
         * The local default on {@code cores} cores: the trainer trains a batch's parts on as many
         * threads as there are cores, but a batch in one piece on one OpenMP thread fewer (at least
         * one), and the broker and the other services run at nice {@value #DEFAULT_SUPPORT_NICE}, so
         * that their bursts of work wait for the trainer instead of preempting it. Measured on 2
         * cores with every JVM warm (README, "Pipeline benchmark"): at batch 1, two OpenMP threads
         * beside the other processes trained at 0.3 of the in-process rate and one at 0.88; with the
         * others at nice 10, one at 0.88–0.95 (its thread then waited for a CPU 4 % of the time
         * instead of 20–35 %), and the loss events' latency fell with it. At batch 64, two threads
         * on the parts took the pipeline from 1,850 to 2,440 images/s (one OpenMP thread; two
         * stalled). Keeping the other processes to one core ({@link #apart}) spares the trainer
         * their preemptions but leaves it one core fewer: slower in absolute terms on 2 cores, so
         * demo does not.
         */
        public static CpuShare forCores(int cores) {
            int threads = Math.max(1, cores);
            return new CpuShare(Integer.toString(threads), Integer.toString(Math.max(1, threads - 1)), "1", DEFAULT_SUPPORT_NICE, null);
        }

        /**
         * The trainer apart from the rest, as on a cluster where each service has CPUs of its own:
         * the broker (if this pipeline starts it), data-loader, evaluator and metrics kept to CPU 0
         * at nice {@value #DEFAULT_SUPPORT_NICE}, the trainer on {@code cores − 1} threads (for
         * parts and for a batch in one piece alike), so the cores its compute needs are not the
         * others'. Needs at least 2 cores.
         */
        public static CpuShare apart(int cores) {
            if (cores < 2) throw new IllegalArgumentException("keeping the trainer apart needs at least 2 cores, got " + cores);
            String threads = Integer.toString(cores - 1);
            return new CpuShare(threads, threads, "1", DEFAULT_SUPPORT_NICE, "0");
        }

        /**
         * The same share with the trainer on {@code threads} threads for the parts of a batch; a batch
         * in one piece keeps its OpenMP threads, at most as many.
         */
        public CpuShare withTrainerThreads(String threads) {
            int t = Integer.parseInt(threads);
            String op = Integer.toString(Math.min(t, Integer.parseInt(trainerOpThreads)));
            return new CpuShare(threads, op, supportThreads, supportNice, supportCpus);
        }

        /** The same share with the other processes at this niceness, kept to these CPUs (or any, if null). */
        public CpuShare withSupport(int nice, String cpus) {
            return new CpuShare(trainerThreads, trainerOpThreads, supportThreads, nice, cpus);
        }

        /** What runs a supporting process: taskset and nice, as configured. */
        List<String> supportLauncher() {
            List<String> cmd = new ArrayList<>();
            if (supportCpus != null) cmd.addAll(List.of("taskset", "-c", supportCpus));
            if (supportNice > 0) cmd.addAll(List.of("nice", "-n", Integer.toString(supportNice)));
            return cmd;
        }
    }

    private final Path home;
    private final int basePort;
    private final Path logs;
    private final CpuShare cpu;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final List<Supervisor> supervisors = new ArrayList<>();
    private final Path apiTokenFile;
    private boolean startedBroker;
    private String bootstrap;
    private String apiToken;

    /**
     * @param home the project directory (scripts/, the modules' target/quarkus-app/)
     * @param basePort the trainer's port; the other services take the next three
     * @param logs where each service's log goes ({@code <service>.log})
     * @param ompThreads OMP_NUM_THREADS of every service
     */
    public LocalPipeline(Path home, int basePort, Path logs, String ompThreads) {
        this(home, basePort, logs, CpuShare.even(ompThreads));
    }

    /** As {@link #LocalPipeline(Path, int, Path, String)}, sharing the cores as {@code cpu} says. */
    public LocalPipeline(Path home, int basePort, Path logs, CpuShare cpu) {
        this.home = home;
        this.basePort = basePort;
        this.logs = logs;
        this.cpu = cpu;
        this.apiTokenFile = home.resolve("work").resolve(ApiTokenFile.NAME);
    }

    public int trainerPort() {
        return basePort;
    }

    public int loaderPort() {
        return basePort + 1;
    }

    public int evaluatorPort() {
        return basePort + 2;
    }

    public int metricsPort() {
        return basePort + 3;
    }

    /** The broker's bootstrap address, once {@link #start} has run. */
    public String bootstrap() {
        return bootstrap;
    }

    /** The operator API token the trainer accepts, once {@link #start} has run: send it as {@code Authorization: Bearer <token>}. */
    public String apiToken() {
        return apiToken;
    }

    /** Where {@link #apiToken()} is kept ({@code work/api-token}). */
    public Path apiTokenFile() {
        return apiTokenFile;
    }

    public List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    /**
     * The pipeline's processes by name: each running service and, when its pid file names a live
     * process, the broker ({@code "broker"}, whether or not this pipeline started it).
     */
    public Map<String, Long> pids() {
        Map<String, Long> out = new LinkedHashMap<>();
        try {
            long pid = Long.parseLong(Files.readString(home.resolve("work").resolve("kafka").resolve("broker.pid")).trim());
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) out.put("broker", pid);
        } catch (IOException | NumberFormatException noBrokerPid) {
            // a broker elsewhere, or not started by scripts/kafka.sh: not ours to watch
        }
        for (ServiceProcess s : services()) if (s.isAlive()) out.put(s.name(), s.pid());
        return out;
    }

    /** The supervisor of a service ({@code "trainer"}, {@code "data-loader"}, ...), once {@link #start} has run. */
    public synchronized Supervisor supervisor(String service) {
        for (Supervisor s : supervisors) if (s.service().name().equals(service)) return s;
        throw new IllegalArgumentException("no supervised service " + service + " (started: " + services.size() + ")");
    }

    /**
     * Starts the broker if needed and the four services; prints a line per ready service, then
     * supervises them (restart lines go to stderr).
     */
    public LocalPipeline start(PrintWriter out) throws IOException, InterruptedException {
        try {
            return startAll(out);
        } catch (IOException | InterruptedException | RuntimeException e) {
            close(); // what did start (the broker, some services) must not outlive the failure
            throw e;
        }
    }

    private LocalPipeline startAll(PrintWriter out) throws IOException, InterruptedException {
        apiToken = ApiTokenFile.ensure(apiTokenFile);
        bootstrap = startBroker(out);
        Map<String, String> env = Map.of("BACKSTREAM_KAFKA_BOOTSTRAP", bootstrap, "OMP_NUM_THREADS", cpu.supportThreads());
        Map<String, String> trainerEnv = new HashMap<>(env);
        trainerEnv.put("OMP_NUM_THREADS", cpu.trainerThreads());
        trainerEnv.put("BACKSTREAM_OP_THREADS", cpu.trainerOpThreads());
        trainerEnv.put("BACKSTREAM_AUTH_TOKENS", ApiTokenFile.trainerTokens(System.getenv("BACKSTREAM_AUTH_TOKENS"), apiToken));
        List<String> jvm = List.of("-Xmx1g", "-Dbackstream.home=" + home);
        services.add(service("data-loader", loaderPort(), env, jvm, cpu.supportLauncher()));
        services.add(service("trainer", trainerPort(), Map.copyOf(trainerEnv), jvm, List.of()));
        Map<String, String> evaluatorEnv = new HashMap<>(env);
        // ONNX Runtime's threads are its own setting, not OpenMP's: as many as the other services get
        evaluatorEnv.put("BACKSTREAM_EVALUATOR_INTRA_OP_THREADS", cpu.supportThreads());
        services.add(service("evaluator", evaluatorPort(), Map.copyOf(evaluatorEnv), jvm, cpu.supportLauncher()));
        Map<String, String> metricsEnv = new HashMap<>(env);
        metricsEnv.put("BACKSTREAM_TRAINER_URL", "http://127.0.0.1:" + trainerPort());   // the dashboard's control calls go through metrics
        services.add(service("metrics", metricsPort(), Map.copyOf(metricsEnv), jvm, cpu.supportLauncher()));
        for (ServiceProcess s : services) s.start();
        for (ServiceProcess s : services) {
            s.awaitReady(READY_TIMEOUT);
            out.printf("%-12s ready on http://127.0.0.1:%d  (log %s)%n", s.name(), s.port(), relative(s.log()));
        }
        PrintWriter err = new PrintWriter(System.err, true);
        synchronized (this) { // after a close() meanwhile (Ctrl-C during start-up) services is empty: nothing to supervise
            for (ServiceProcess s : services) supervisors.add(Supervisor.watch(s, READY_TIMEOUT, err));
        }
        return this;
    }

    private ServiceProcess service(String module, int port, Map<String, String> env, List<String> jvm, List<String> launcher) {
        Path jar = home.resolve(module).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
        return new ServiceProcess(module, jar, port, logs.resolve(module + ".log"), env, jvm, launcher);
    }

    private String relative(Path p) {
        return p.startsWith(home) ? home.relativize(p).toString() : p.toString();
    }

    private String startBroker(PrintWriter out) throws IOException, InterruptedException {
        Path script = script();
        if (run(script, "status") != 0) {
            out.println("starting the local Kafka broker (work/kafka)...");
            if (run(script, "start", cpu.supportLauncher()) != 0) throw new IOException("could not start the Kafka broker: ./backstream kafka logs");
            startedBroker = true;
        }
        return new String(new ProcessBuilder(script.toString(), "bootstrap").start().getInputStream().readAllBytes()).trim();
    }

    private Path script() {
        return home.resolve("scripts").resolve("kafka.sh");
    }

    private static int run(Path script, String arg) throws IOException, InterruptedException {
        return run(script, arg, List.of());
    }

    /** Runs the broker script through {@code launcher} (a broker it starts inherits its CPUs and priority). */
    private static int run(Path script, String arg, List<String> launcher) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add(script.toString());
        cmd.add(arg);
        return new ProcessBuilder(cmd).inheritIO().redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    /**
     * Stops every process this pipeline started, services first, then the broker; the supervision
     * ends before any service is stopped, so none is restarted. Safe to call twice.
     */
    @Override
    public synchronized void close() {
        for (Supervisor s : supervisors) s.close();
        supervisors.clear();
        for (int i = services.size() - 1; i >= 0; i--) services.get(i).stop();
        services.clear();
        if (startedBroker) {
            startedBroker = false;
            try {
                run(script(), "stop");
            } catch (IOException | InterruptedException e) {
                System.err.println("could not stop the Kafka broker: " + e.getMessage());
            }
        }
    }
}
