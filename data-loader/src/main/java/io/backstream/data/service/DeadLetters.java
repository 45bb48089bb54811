package io.backstream.data.service;

import io.backstream.events.DeadLetter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/** Reports a record the loader cannot use on training.deadletter (key = the record's key). */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    @Inject
    @Channel("deadletters-out")
    Emitter<Record<String, String>> emitter;

    public void reject(ConsumerRecord<String, ?> record, String reason) {
        LOG.warnf("skipping %s-%d@%d (key %s): %s", record.topic(), record.partition(), record.offset(), record.key(), reason);
        DeadLetter letter = new DeadLetter(reason, record.topic(), record.partition(), record.offset(), record.key(),
                System.currentTimeMillis());
        emitter.send(Record.of(record.key(), letter.toJson())).whenComplete((ok, error) -> {
            if (error != null) LOG.errorf(error, "could not dead-letter %s@%d", record.topic(), record.offset());
        });
    }
}
