package io.backstream.trainer.service;

import io.backstream.events.KafkaConnection;
import io.backstream.events.KafkaTables;
import io.backstream.events.RunCommand;
import io.backstream.events.RunProgress;
import io.backstream.events.RunState;
import io.backstream.events.TopicSetup;
import io.backstream.events.Topics;
import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.nn.TutorialCnn;
import io.backstream.trainer.onnx.OnnxFormatException;
import io.backstream.trainer.onnx.OnnxImport;
import io.backstream.trainer.train.EngineThreads;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The runs this trainer holds, by id: creates them (at most {@code backstream.trainer.max-active-runs}
 * active at once), changes their state on request, and — at start-up — takes back every run it
 * owned from Kafka: the run list and states from {@code runs.state}, positions from
 * {@code runs.progress}, weights and optimizer state from {@code runs.checkpoints}. Unfinished runs
 * resume where their last transaction left them.
 */
@ApplicationScoped
class Runs {
    /** The seed of the initial weights when no init model is given: train-local's default. */
    static final long INIT_SEED = 0;

    private static final Logger LOG = Logger.getLogger(Runs.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    @Inject
    Events events;

    /** Every client setting of the deployment (bootstrap, security), as the SmallRye channels get them. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaSettings;

    KafkaConnection kafka;

    /** Where each training run's input lag is exported ({@link #watchInputLag}). */
    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "backstream.trainer.max-active-runs", defaultValue = "4")
    int maxActiveRuns;

    /** Names this instance's transactions: a restarted instance with the same id fences its predecessor. */
    @ConfigProperty(name = "backstream.trainer.instance", defaultValue = "0")
    String instance;

    /** The runs this instance owns (ids it creates and takes back); tests use their own. */
    @ConfigProperty(name = "backstream.trainer.run-prefix", defaultValue = "run-")
    String runPrefix;

    /** How long a transaction stays open at most: the delay before a loss event is visible to read_committed readers. */
    @ConfigProperty(name = "backstream.trainer.commit-interval", defaultValue = "PT0.025S")
    Duration commitInterval;

    /** How often a running run writes a full checkpoint (also at its end); a restart replays at most this much. */
    @ConfigProperty(name = "backstream.trainer.checkpoint-interval", defaultValue = "PT10S")
    Duration checkpointInterval;

    /**
     * How long training.batches keeps a batch no run of this trainer can read again ({@link BatchPurge}):
     * younger ones stay for other readers of the topic. Negative: the trainer deletes nothing (the
     * topic's retention does).
     */
    @ConfigProperty(name = "backstream.trainer.batches-kept-for", defaultValue = "PT1H")
    Duration batchesKeptFor = Duration.ofHours(1);

    /** How often the trainer deletes what its runs cannot read again. */
    @ConfigProperty(name = "backstream.trainer.purge-interval", defaultValue = "PT1M")
    Duration purgeInterval = Duration.ofMinutes(1);

    /** Whether to create the topics with their settings at start-up (off where an operator owns them). */
    @ConfigProperty(name = "backstream.kafka.setup-topics", defaultValue = "true")
    boolean setupTopics;

    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile String startUpFailure;
    private TrainerLog log;
    private Thread committer;
    private Thread purger;

    /** Start-up happens off the main thread: the broker may not be up yet, and HTTP answers 503 meanwhile. */
    void onStart(@Observes StartupEvent event) {
        EngineThreads.configureFromEnvironment(); // OMP_NUM_THREADS: the cores the trainer may use
        Thread t = new Thread(this::startUp, "trainer-startup");
        t.setDaemon(true);
        t.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (committer != null) committer.interrupt();
        if (purger != null) purger.interrupt();
        if (log != null) log.close();
    }

    void startUp() {
        try {
            if (kafka == null) kafka = new KafkaConnection(kafkaSettings);
            if (setupTopics) TopicSetup.ensure(kafka, TopicSetup.DEFINITIONS, READ_TIMEOUT.toMillis());
            log = new TrainerLog(kafka, "backstream-trainer-" + instance);
            log.start(); // fences a predecessor and aborts what it left open, before anything is read back
            recover();
            committer = new Thread(this::commitLoop, "trainer-committer");
            committer.setDaemon(true);
            committer.start();
            if (!batchesKeptFor.isNegative()) {
                purger = new Thread(this::purgeLoop, "trainer-batch-purge");
                purger.setDaemon(true);
                purger.start();
            }
            ready.countDown();
        } catch (RuntimeException | Error e) { // an Error too (out of memory, a native library missing): this thread is the only one to see it
            startUpFailure = e.toString();
            LOG.errorf(e, "trainer start-up failed; the trainer stays unready (/q/health/ready says why) until restarted");
        }
    }

    /** Why start-up failed, or null (it succeeded or is still going). */
    String startUpFailure() {
        return startUpFailure;
    }

    private void commitLoop() {
        long ms = Math.max(1, commitInterval.toMillis());
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (log.openMillis() >= 0) log.commit();
            } catch (RuntimeException e) {
                LOG.errorf(e, "commit loop");
            }
        }
    }

    /** Every {@code purgeInterval}, the batches no run of this trainer can read again go ({@link BatchPurge}). */
    private void purgeLoop() {
        try (BatchPurge purge = new BatchPurge(kafka, Topics.TRAINING_BATCHES, batchesKeptFor, READ_TIMEOUT)) {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(Math.max(1, purgeInterval.toMillis()));
                try {
                    purge.purge(runs.values()).forEach((tp, offset) -> LOG.infof("purged %s before offset %d: no run of this trainer reads it again", tp, offset));
                } catch (ExecutionException | TimeoutException | RuntimeException e) {
                    LOG.warnf("purging %s failed (%s); trying again in %s", Topics.TRAINING_BATCHES, e.toString(), purgeInterval);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes back every run with this instance's prefix: final ones as read-only views, the others
     * training again. Checkpoints are megabytes each and a trainer that has run for a while has
     * hundreds, so only where each run's latest one is and its head are kept while reading; a
     * training run's is read again in full, a final run's only if its weights are asked for.
     */
    private void recover() {
        Map<String, byte[]> states = KafkaTables.read(kafka, Topics.RUNS_STATE, this::owned, READ_TIMEOUT);
        if (states.isEmpty()) return;
        Map<String, byte[]> progress = KafkaTables.read(kafka, Topics.RUNS_PROGRESS, this::owned, READ_TIMEOUT);
        Map<String, LatestCheckpoint> checkpoints = KafkaTables.latest(kafka, Topics.RUNS_CHECKPOINTS, this::owned, LatestCheckpoint::of, READ_TIMEOUT);
        for (Map.Entry<String, byte[]> e : states.entrySet()) {
            try {
                RunState state = RunState.parse(new String(e.getValue(), StandardCharsets.UTF_8));
                LatestCheckpoint ck = checkpoints.get(e.getKey());
                if (ck == null) { // a run from before checkpoints, or whose first transaction never committed
                    LOG.debugf("%s: no checkpoint on %s; cannot take it back", e.getKey(), Topics.RUNS_CHECKPOINTS);
                    continue;
                }
                Checkpoint.Head head = ck.head();
                byte[] p = progress.get(e.getKey());
                RunProgress committed = p == null ? null : RunProgress.parse(new String(p, StandardCharsets.UTF_8));
                RunSettings settings = RunSettings.of(head.spec());
                long deadLetters = committed == null ? 0 : committed.deadLetterCount();
                if (state.state().isFinal()) { // a read-only view: its model is built if its weights are asked for
                    Run run = Run.recovered(state, settings, () -> readBack(state.runId(), settings, ck::at), head.createdAt(), deadLetters);
                    runs.put(run.id(), run);
                    continue;
                }
                Checkpoint checkpoint = fetch(ck.at());
                Run run = Run.recovered(state, settings, () -> restored(settings, checkpoint), head.createdAt(), deadLetters);
                run.trainer(); // restored now: a checkpoint that does not fit is refused before the run is listed
                runs.put(run.id(), run);
                RunWorker worker = RunWorker.recover(run, log, kafka, checkpointInterval, checkpoint, committed);
                worker.onEnd(onWorkerEnd(run));
                worker.start();
                LOG.infof("%s: taking back a %s run at committed step %d (checkpoint at step %d)",
                        run.id(), state.state(), committed == null ? checkpoint.step() : committed.step(), checkpoint.step());
            } catch (RuntimeException ex) {
                LOG.errorf("%s: cannot take the run back: %s", e.getKey(), ex.getMessage());
            }
        }
        LOG.infof("took back %d run(s) from Kafka", runs.size());
    }

    /** Where a run's latest checkpoint is, with its head (or why that could not be read). */
    private record LatestCheckpoint(KafkaTables.Location at, Checkpoint.Head parsedHead, String error) {
        static LatestCheckpoint of(ConsumerRecord<String, byte[]> r) {
            try {
                return new LatestCheckpoint(KafkaTables.Location.of(r), Checkpoint.head(r.value()), null);
            } catch (RuntimeException e) {
                return new LatestCheckpoint(KafkaTables.Location.of(r), null, e.getMessage());
            }
        }

        /** @throws IllegalArgumentException if the head could not be read */
        Checkpoint.Head head() {
            if (parsedHead == null) throw new IllegalArgumentException("its checkpoint at " + at + ": " + error);
            return parsedHead;
        }
    }

    /** A final run's trainer from its latest checkpoint, {@code where} it is, for its weights. */
    private BatchTrainer readBack(String runId, RunSettings settings, Supplier<KafkaTables.Location> where) {
        try {
            return restored(settings, fetch(where.get()));
        } catch (RuntimeException e) {
            throw new UnavailableException(runId + ": its weights could not be read back from Kafka: " + e.getMessage());
        }
    }

    /** Where the run's latest checkpoint is: a scan of runs.checkpoints, for a run that ended while this trainer ran it. */
    private KafkaTables.Location latestCheckpoint(String runId) {
        KafkaTables.Location at = KafkaTables.latest(kafka, Topics.RUNS_CHECKPOINTS, runId::equals, KafkaTables.Location::of, READ_TIMEOUT).get(runId);
        if (at == null) throw new IllegalStateException("it has no checkpoint on " + Topics.RUNS_CHECKPOINTS);
        return at;
    }

    /**
     * What happens when a run's worker ends: its input-lag gauge goes, and a run that has ended
     * lets go of its trainer (a trainer that has run hundreds of runs would otherwise hold all their
     * models); its weights are read back from its last checkpoint if asked for.
     */
    private Runnable onWorkerEnd(Run run) {
        Runnable removeGauge = watchInputLag(run);
        return () -> {
            removeGauge.run();
            if (run.isFinal()) run.release(() -> readBack(run.id(), run.settings(), () -> latestCheckpoint(run.id())));
        };
    }

    /** The checkpoint at {@code at}, read again from Kafka. */
    private Checkpoint fetch(KafkaTables.Location at) {
        byte[] value = KafkaTables.fetch(kafka, at, READ_TIMEOUT);
        if (value == null) throw new IllegalStateException("its checkpoint is no longer at " + at);
        return Checkpoint.parse(value);
    }

    /**
     * Exports {@code backstream_trainer_input_lag{run}} while the run trains: the records of its
     * partition of training.batches its consumer has yet to read. Kafka's consumer-group lag cannot
     * show it (a run reads from its checkpointed offset, not a group's). Bounded by the loader's window
     * (plus other runs' records on the partition): near the window, the trainer is what limits the
     * run; near 0, the loader is. Returns what removes the gauge when the run's worker ends.
     */
    private Runnable watchInputLag(Run run) {
        Gauge gauge = Gauge.builder("backstream.trainer.input.lag", run, Run::inputLag)
                .description("records of the run's training.batches partition its consumer has not read yet (-1 before its first poll)")
                .tag("run", run.id())
                .strongReference(true)
                .register(registry);
        return () -> registry.remove(gauge);
    }

    /** A trainer at the checkpoint: the model, optimizer state and counters it holds. */
    private static BatchTrainer restored(RunSettings settings, Checkpoint checkpoint) {
        BatchTrainer trainer = new BatchTrainer(TutorialCnn.create(INIT_SEED), settings.optimizer(), settings.batchSize());
        trainer.restore(checkpoint);
        return trainer;
    }

    private boolean owned(String runId) {
        return runId.startsWith(runPrefix);
    }

    /**
     * Creates and starts a run; answers once its first transaction (initial checkpoint, PENDING,
     * START) is committed.
     *
     * @param init ONNX weights to start from, or null for {@link TutorialCnn#create(long) seed 0}
     * @throws InvalidSpecException for an optimizer that does not build or an init model that does not fit
     * @throws TooManyRunsException when the limit of active runs is reached
     */
    Run create(RunSettings settings, byte[] init) {
        awaitReady();
        checkCapacity();
        Sequential model = TutorialCnn.create(INIT_SEED);
        if (init != null) {
            try {
                OnnxImport.load(init, model.toOnnx(), model.parameters());
            } catch (OnnxFormatException | IllegalArgumentException e) {
                throw new InvalidSpecException("init: " + e.getMessage());
            }
        }
        BatchTrainer trainer;
        try {
            trainer = new BatchTrainer(model, settings.optimizer(), settings.batchSize());
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException("optimizer: " + e.getMessage());
        }
        Run run;
        synchronized (this) {
            checkCapacity();
            run = new Run(newId(), settings, trainer);
            runs.put(run.id(), run);
        }
        RunWorker worker = RunWorker.create(run, log, kafka, checkpointInterval);
        worker.onEnd(onWorkerEnd(run));
        worker.start();
        try {
            worker.awaitCreated(READ_TIMEOUT);
        } catch (Exception e) {
            runs.remove(run.id());
            throw new UnavailableException("could not record run " + run.id() + " in Kafka: " + e);
        }
        LOG.infof("created %s: %s%s", run.id(), settings.spec().toJson(), init != null ? " (init from ONNX upload)" : "");
        return run;
    }

    Collection<Run> list() {
        return runs.values().stream().sorted(Comparator.comparingLong(Run::createdAt)).toList();
    }

    /** @throws RunNotFoundException */
    Run get(String id) {
        Run run = runs.get(id);
        if (run == null) throw new RunNotFoundException(id);
        return run;
    }

    RunState pause(String id) {
        Run run = get(id);
        RunState state = run.pause();
        events.command(RunCommand.pause(id, state.updatedAt()));
        events.state(state);
        return state;
    }

    RunState resume(String id) {
        Run run = get(id);
        RunState state = run.resume();
        events.command(RunCommand.resume(id, state.updatedAt()));
        events.state(state);
        return state;
    }

    RunState stop(String id) {
        Run run = get(id);
        RunState state = run.stop();
        events.command(RunCommand.stop(id, state.updatedAt()));
        events.state(state);
        return state;
    }

    /** Takes over a FAILED state another service published (the data-loader cannot read the dataset, say). */
    void adopt(RunState state) {
        if (state.state() != RunState.State.FAILED) return;
        Run run = runs.get(state.runId());
        if (run == null) return;
        if (run.fail(state.reason(), null) != null) LOG.warnf("%s FAILED: %s", run.id(), state.reason());
    }

    /** True once transactions are set up and every owned run is taken back. */
    boolean isReady() {
        return ready.getCount() == 0;
    }

    private void awaitReady() {
        try {
            if (!ready.await(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new UnavailableException("the trainer is still connecting to Kafka at " + kafka.bootstrap());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted");
        }
    }

    private void checkCapacity() {
        long active = runs.values().stream().filter(r -> !r.isFinal()).count();
        if (active >= maxActiveRuns) throw new TooManyRunsException((int) active, maxActiveRuns);
    }

    private String newId() {
        while (true) {
            String id = runPrefix + String.format("%08x", ThreadLocalRandom.current().nextInt());
            if (!runs.containsKey(id)) return id;
        }
    }
}
