package io.backstream.data.service;

import io.backstream.events.LossTopicEvent;
import io.backstream.events.MalformedRecordException;
import io.backstream.events.StepLoss;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * training.loss: each StepLoss moves its run's back-pressure window ({@link RunGate#progress}).
 * Events of runs this loader does not publish are skipped by key before any parsing.
 */
@ApplicationScoped
public class ProgressTracker {

    private static final Logger LOG = Logger.getLogger(ProgressTracker.class);

    @Inject
    RunRegistry registry;

    @Incoming("training-loss")
    public void consume(ConsumerRecord<String, String> record) {
        if (record.key() != null && registry.find(record.key()).isEmpty()) return;
        try {
            if (LossTopicEvent.parse(record.value()) instanceof StepLoss step) {
                registry.find(step.runId()).ifPresent(gate -> gate.progress(step.step()));
            }
        } catch (MalformedRecordException e) {
            // the trainer's topic: its own consumers dead-letter it; the loader just cannot use it
            LOG.warnf("training.loss %d@%d skipped: %s", record.partition(), record.offset(), e.getMessage());
        }
    }
}
