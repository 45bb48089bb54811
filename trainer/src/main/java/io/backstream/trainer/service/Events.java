package io.backstream.trainer.service;

import io.backstream.events.DeadLetter;
import io.backstream.events.LossTopicEvent;
import io.backstream.events.RunCommand;
import io.backstream.events.RunState;
import io.backstream.events.SnapshotMetadata;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.OutgoingKafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * What the REST side publishes outside the runs' transactions: PAUSE/RESUME/STOP commands and the
 * states they cause, keyed by runId. Everything a run's training produces goes through {@link TrainerLog}.
 */
@ApplicationScoped
class Events {
    /** The header of a snapshot that names the spec's dataset, next to {@link SnapshotMetadata}'s. */
    static final String DATASET_HEADER = "dataset";

    private static final Logger LOG = Logger.getLogger(Events.class);

    @Inject
    @Channel("control")
    Emitter<String> control;

    @Inject
    @Channel("states-out")
    Emitter<String> states;

    void command(RunCommand command) {
        send(control, KafkaRecord.of(command.runId(), command.toJson()));
    }

    void state(RunState state) {
        if (state != null) send(states, KafkaRecord.of(state.runId(), state.toJson()));
    }

    private static <T> void send(Emitter<T> emitter, OutgoingKafkaRecord<String, T> record) {
        try {
            emitter.send(record);
        } catch (RuntimeException e) { // a full buffer (broker gone) must not kill the caller: say what was lost
            LOG.errorf("could not publish a record for %s: %s", record.getKey(), e.toString());
        }
    }
}
