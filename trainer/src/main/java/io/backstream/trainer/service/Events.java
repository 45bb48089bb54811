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

/** Everything the trainer publishes, each record keyed by its runId (a dead letter by the rejected record's key). */
@ApplicationScoped
class Events {
    /** The header of a snapshot that names the spec's dataset, next to {@link SnapshotMetadata}'s. */
    static final String DATASET_HEADER = "dataset";

    private static final Logger LOG = Logger.getLogger(Events.class);

    @Inject
    @Channel("loss")
    Emitter<String> loss;

    @Inject
    @Channel("snapshots")
    Emitter<byte[]> snapshots;

    @Inject
    @Channel("control")
    Emitter<String> control;

    @Inject
    @Channel("states-out")
    Emitter<String> states;

    @Inject
    @Channel("deadletter")
    Emitter<String> deadLetters;

    /** A StepLoss or EpochSummary on training.loss. */
    void loss(LossTopicEvent event) {
        send(loss, KafkaRecord.of(event.runId(), event.toJson()));
    }

    /** ONNX bytes on model.snapshots with the SnapshotMetadata headers and "dataset". */
    void snapshot(SnapshotMetadata metadata, String dataset, byte[] onnx) {
        OutgoingKafkaRecord<String, byte[]> record = KafkaRecord.of(metadata.runId(), onnx);
        for (Map.Entry<String, byte[]> h : metadata.toHeaders().entrySet()) record = record.withHeader(h.getKey(), h.getValue());
        send(snapshots, record.withHeader(DATASET_HEADER, dataset.getBytes(StandardCharsets.UTF_8)));
    }

    void command(RunCommand command) {
        send(control, KafkaRecord.of(command.runId(), command.toJson()));
    }

    void state(RunState state) {
        if (state != null) send(states, KafkaRecord.of(state.runId(), state.toJson()));
    }

    void deadLetter(DeadLetter letter) {
        send(deadLetters, KafkaRecord.of(letter.key(), letter.toJson()));
    }

    private static <T> void send(Emitter<T> emitter, OutgoingKafkaRecord<String, T> record) {
        try {
            emitter.send(record);
        } catch (RuntimeException e) { // a full buffer (broker gone) must not kill the caller: say what was lost
            LOG.errorf("could not publish a record for %s: %s", record.getKey(), e.toString());
        }
    }
}
