package io.backstream.trainer.service;

import io.backstream.events.Batch;
import io.backstream.events.BatchCodec;
import io.backstream.events.DeadLetter;
import io.backstream.events.MalformedRecordException;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * training.batches → the run's worker. A record that does not decode, or that its run cannot take,
 * goes to training.deadletter with where it came from; a batch of a run this trainer does not know
 * is skipped. Decoding (a CRC over up to 12.6 MB) runs off the event loop, in partition order; the
 * training itself happens on each run's worker, so this never waits for a step.
 */
@ApplicationScoped
class BatchConsumer {
    private static final Logger LOG = Logger.getLogger(BatchConsumer.class);

    @Inject
    Runs runs;

    @Inject
    Events events;

    /** Run ids already reported as unknown, so an old topic replays as a few lines, not one per record. */
    private final Set<String> reportedUnknown = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 1000;
        }
    });

    /**
     * A poll's worth of records at a time: at batch size 1 a record is 3 KB and one step's work,
     * and handing records over one by one cost more than the step.
     */
    @Incoming("batches")
    @Blocking
    void consume(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) consume(record);
    }

    void consume(ConsumerRecord<String, byte[]> record) {
        Batch batch;
        try {
            batch = BatchCodec.decode(record.value());
        } catch (MalformedRecordException e) {
            reject(record, e.getMessage());
            return;
        }
        if (record.key() != null && !record.key().equals(batch.runId())) {
            reject(record, "key " + record.key() + " differs from the batch's runId " + batch.runId());
            return;
        }
        try {
            switch (runs.route(batch)) {
                case UNKNOWN_RUN -> {
                    if (reportedUnknown.add(batch.runId())) LOG.infof("skipping batches of unknown run %s (first: %s)", batch.runId(), batch);
                }
                case ENDED_RUN -> LOG.debugf("skipping %s: its run has ended", batch);
                case QUEUED -> { }
            }
        } catch (RejectedBatchException e) {
            reject(record, e.getMessage());
        }
    }

    private void reject(ConsumerRecord<String, byte[]> record, String reason) {
        LOG.warnf("dead-lettering %s-%d@%d (key %s): %s", record.topic(), record.partition(), record.offset(), record.key(), reason);
        events.deadLetter(new DeadLetter(reason, record.topic(), record.partition(), record.offset(), record.key(),
                System.currentTimeMillis()));
    }
}
