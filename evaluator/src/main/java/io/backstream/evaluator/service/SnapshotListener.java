package io.backstream.evaluator.service;

import io.backstream.events.MalformedRecordException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** model.snapshots → evaluation.results: scores each snapshot now, or once its test set is complete. */
@ApplicationScoped
public class SnapshotListener {

    private final TestSetGate gate;
    private final Evaluations evaluations;
    private final DeadLetterPublisher deadLetters;

    public SnapshotListener(TestSetGate gate, Evaluations evaluations, DeadLetterPublisher deadLetters) {
        this.gate = gate;
        this.evaluations = evaluations;
        this.deadLetters = deadLetters;
    }

    @Incoming("snapshots")
    @Blocking
    public void onSnapshot(ConsumerRecord<String, byte[]> record) {
        Snapshot s;
        try {
            s = Snapshots.read(record);
        } catch (MalformedRecordException e) {
            deadLetters.reject(e.getMessage(), Source.of(record));
            return;
        }
        TestSet t = gate.testSetOrPark(s);
        if (t != null) evaluations.evaluate(s, t);
    }
}
