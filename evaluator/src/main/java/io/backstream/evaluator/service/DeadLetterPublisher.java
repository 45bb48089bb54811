package io.backstream.evaluator.service;

import io.backstream.events.DeadLetter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/** Publishes a {@link DeadLetter} for a rejected record on the {@code deadletter} channel (training.deadletter). */
@ApplicationScoped
public class DeadLetterPublisher {

    private static final Logger LOG = Logger.getLogger(DeadLetterPublisher.class);

    @Channel("deadletter")
    Emitter<Record<String, String>> deadLetters;

    public void reject(String reason, Source from) {
        LOG.warnf("rejected %s-%d@%d (key %s): %s", from.topic(), from.partition(), from.offset(), from.key(), reason);
        DeadLetter d = new DeadLetter(reason, from.topic(), from.partition(), from.offset(), from.key(), System.currentTimeMillis());
        deadLetters.send(Record.of(from.key(), d.toJson())).whenComplete((ok, e) -> {
            if (e != null) LOG.errorf(e, "could not publish the dead letter for %s-%d@%d", from.topic(), from.partition(), from.offset());
        });
    }
}
