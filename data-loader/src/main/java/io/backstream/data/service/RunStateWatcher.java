package io.backstream.data.service;

import io.backstream.events.MalformedRecordException;
import io.backstream.events.RunState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** runs.state: a run that reached a final state (STOPPED, COMPLETED, FAILED) gets no more batches. */
@ApplicationScoped
public class RunStateWatcher {

    private static final Logger LOG = Logger.getLogger(RunStateWatcher.class);

    @Inject
    RunRegistry registry;

    @Incoming("runs-state")
    public void consume(ConsumerRecord<String, String> record) {
        if (record.key() != null && registry.find(record.key()).isEmpty()) return;
        if (record.value() == null) return;   // compaction tombstone
        try {
            RunState state = RunState.parse(record.value());
            if (state.state().isFinal()) {
                registry.find(state.runId()).ifPresent(gate -> gate.stop(state.state().name()));
            }
        } catch (MalformedRecordException e) {
            LOG.warnf("runs.state %d@%d skipped: %s", record.partition(), record.offset(), e.getMessage());
        }
    }
}
