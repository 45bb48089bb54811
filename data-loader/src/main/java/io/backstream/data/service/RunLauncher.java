package io.backstream.data.service;

import io.backstream.events.RunProgress;
import io.backstream.events.RunSpec;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Starts a {@link RunPublisher} on its own platform thread for each new run (Java 17: no virtual
 * threads). A thread per run keeps runs isolated: one waiting for its trainer, paused or reading a
 * big dataset never holds up another, nor the consumer that delivered the START.
 */
@ApplicationScoped
public class RunLauncher {

    private static final Logger LOG = Logger.getLogger(RunLauncher.class);

    @Inject
    RunRegistry registry;
    @Inject
    DatasetResolver datasets;
    @Inject
    TestSetPublisher testSets;
    @Inject
    RunStates states;
    @Inject
    BinaryProducer producer;

    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "loader-run-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    /** Starts the run from its first batch unless it is already known; returns whether it was started. */
    public boolean start(String runId, RunSpec spec) {
        return registry.register(runId, spec.batchSize() == null ? 1 : spec.batchSize()).map(gate -> {
            publish(gate, spec, null);
            return true;
        }).orElse(false);
    }

    /** Publishes a registered run's batches: from the first, or from the one after {@code after} (a recovered run). */
    void publish(RunGate gate, RunSpec spec, RunProgress after) {
        executor.execute(new RunPublisher(gate.runId(), spec, after, gate, datasets, testSets, states, producer.producer()));
    }

    void shutdown(@Observes ShutdownEvent event) throws InterruptedException {
        registry.stopAll("shutdown");
        executor.shutdown();
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            List<Runnable> never = executor.shutdownNow();
            LOG.warnf("run publishers still busy at shutdown were interrupted (%d queued)", never.size());
        }
    }
}
