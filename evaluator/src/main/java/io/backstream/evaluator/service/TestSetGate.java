package io.backstream.evaluator.service;

import io.backstream.events.Batch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Where snapshots meet test sets. One lock over both, so a snapshot that parks and a chunk that
 * completes its test set cannot miss each other: a snapshot either finds its test set complete or
 * is parked before the completing chunk releases the waiting ones.
 */
@ApplicationScoped
public class TestSetGate {

    private static final Logger LOG = Logger.getLogger(TestSetGate.class);

    /** A test set that just became complete and the snapshots that were waiting for it. */
    public record Released(TestSet testSet, List<Snapshot> snapshots) {}

    private final TestSetStore testSets;
    private final PendingSnapshots pending;
    private final Counter dropped;

    public TestSetGate(@ConfigProperty(name = "backstream.evaluator.max-test-sets", defaultValue = "4") int maxTestSets,
                       @ConfigProperty(name = "backstream.evaluator.pending-per-run", defaultValue = "3") int pendingPerRun,
                       @ConfigProperty(name = "backstream.evaluator.pending-runs", defaultValue = "16") int pendingRuns,
                       MeterRegistry registry) {
        this.testSets = new TestSetStore(maxTestSets, maxTestSets);
        this.pending = new PendingSnapshots(pendingPerRun, pendingRuns);
        this.dropped = Counter.builder("backstream.evaluator.snapshots.dropped")
                .description("snapshots pushed out while waiting for their test set").register(registry);
        Gauge.builder("backstream.evaluator.snapshots.waiting", this, TestSetGate::waiting)
                .description("snapshots waiting for their test set").strongReference(true).register(registry);
    }

    synchronized int waiting() {
        return pending.size();
    }

    /** The snapshot's test set if complete; otherwise parks the snapshot (bounded) and returns null. */
    public synchronized TestSet testSetOrPark(Snapshot s) {
        TestSet set = testSets.get(s.dataset());
        if (set != null) return set;
        for (Snapshot d : pending.park(s)) {
            dropped.increment();
            LOG.warnf("dropped %s: a newer snapshot replaced it while waiting for test set %s", d, d.dataset());
        }
        LOG.infof("%s waits for test set %s (%d waiting)", s, s.dataset(), pending.size());
        return null;
    }

    /** Adds a test-set chunk; if it completed its set, the set and the snapshots it releases. */
    public synchronized Released add(Batch chunk) {
        TestSet set = testSets.add(chunk);
        return set == null ? null : new Released(set, pending.release(set.datasetId()));
    }
}
