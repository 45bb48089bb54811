package io.backstream.trainer.service;

import io.backstream.events.Batch;
import io.backstream.events.RunCommand;
import io.backstream.events.RunState;
import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.nn.TutorialCnn;
import io.backstream.trainer.onnx.OnnxFormatException;
import io.backstream.trainer.onnx.OnnxImport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The runs this trainer holds, by id: creates them (at most {@code backstream.trainer.max-active-runs}
 * active at once), changes their state on request, and hands each batch to its run's worker.
 */
@ApplicationScoped
class Runs {
    /** The seed of the initial weights when no init model is given: train-local's default. */
    static final long INIT_SEED = 0;

    private static final Logger LOG = Logger.getLogger(Runs.class);

    /** What became of a batch handed to {@link #route}. */
    enum Route { QUEUED, UNKNOWN_RUN, ENDED_RUN }

    @Inject
    Events events;

    @ConfigProperty(name = "backstream.trainer.max-active-runs", defaultValue = "4")
    int maxActiveRuns;

    @ConfigProperty(name = "backstream.trainer.queue-capacity", defaultValue = "4096")
    int queueCapacity;

    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Map<String, RunWorker> workers = new ConcurrentHashMap<>();

    /**
     * Creates and starts a run: publishes PENDING on runs.state and START on runs.control.
     *
     * @param init ONNX weights to start from, or null for {@link TutorialCnn#create(long) seed 0}
     * @throws InvalidSpecException for an optimizer that does not build or an init model that does not fit
     * @throws TooManyRunsException when the limit of active runs is reached
     */
    Run create(RunSettings settings, byte[] init) {
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
        RunWorker worker;
        synchronized (this) {
            checkCapacity();
            run = new Run(newId(), settings, trainer);
            worker = new RunWorker(run, events, queueCapacity);
            runs.put(run.id(), run);
            workers.put(run.id(), worker);
        }
        worker.start();
        events.state(run.state());
        events.command(RunCommand.start(run.id(), settings.spec(), run.createdAt()));
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
        workers.remove(id);
        return state;
    }

    /**
     * Queues a batch for its run's worker.
     *
     * @throws RejectedBatchException if the batch does not fit the run (epoch, size) or its queue is full
     */
    Route route(Batch batch) {
        Run run = runs.get(batch.runId());
        if (run == null) return Route.UNKNOWN_RUN;
        RunWorker worker = workers.get(batch.runId());
        if (worker == null || run.isFinal()) return Route.ENDED_RUN;
        RunSettings s = run.settings();
        if (batch.epoch() < 1 || batch.epoch() > s.epochs()) {
            throw new RejectedBatchException("epoch " + batch.epoch() + " outside the run's 1.." + s.epochs());
        }
        if (batch.count() > s.batchSize()) {
            throw new RejectedBatchException("count " + batch.count() + " above the run's batchSize " + s.batchSize());
        }
        if (!worker.offer(batch)) {
            throw new RejectedBatchException("run " + run.id() + " already has " + worker.capacity()
                    + " batches queued (backstream.trainer.queue-capacity): the loader went past its window");
        }
        return Route.QUEUED;
    }

    /** Takes over a FAILED state another service published (the data-loader cannot read the dataset, say). */
    void adopt(RunState state) {
        if (state.state() != RunState.State.FAILED) return;
        Run run = runs.get(state.runId());
        if (run == null) return;
        if (run.fail(state.reason(), null) != null) {
            workers.remove(run.id());
            LOG.warnf("%s FAILED: %s", run.id(), state.reason());
        }
    }

    private void checkCapacity() {
        long active = runs.values().stream().filter(r -> !r.isFinal()).count();
        if (active >= maxActiveRuns) throw new TooManyRunsException((int) active, maxActiveRuns);
    }

    private String newId() {
        while (true) {
            String id = String.format("run-%08x", ThreadLocalRandom.current().nextInt());
            if (!runs.containsKey(id)) return id;
        }
    }
}
