package io.backstream.data.service;

import io.backstream.events.MalformedRecordException;
import io.backstream.events.RunProgress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * runs.progress (read_committed): the trainer's committed position per run, one record per
 * transaction it commits rather than one per step. Its {@code step} moves the run's back-pressure
 * window ({@link RunGate#progress}). Records of runs this loader does not publish are skipped by key
 * before any parsing.
 */
@ApplicationScoped
public class ProgressTracker {

    private static final Logger LOG = Logger.getLogger(ProgressTracker.class);

    @Inject
    RunRegistry registry;

    @Incoming("runs-progress")
    public void consume(ConsumerRecord<String, String> record) {
        if (record.key() != null && registry.find(record.key()).isEmpty()) return;
        if (record.value() == null) return;   // compaction tombstone
        try {
            RunProgress progress = RunProgress.parse(record.value());
            registry.find(progress.runId()).ifPresent(gate -> gate.progress(progress.step()));
        } catch (MalformedRecordException e) {
            // the trainer's topic: the loader just cannot use this record
            LOG.warnf("runs.progress %d@%d skipped: %s", record.partition(), record.offset(), e.getMessage());
        }
    }
}
