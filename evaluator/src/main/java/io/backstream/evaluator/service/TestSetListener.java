package io.backstream.evaluator.service;

import io.backstream.events.Batch;
import io.backstream.events.MalformedRecordException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** dataset.testset → test sets; a chunk that completes one scores the snapshots waiting for it. */
@ApplicationScoped
public class TestSetListener {

    private final TestSetGate gate;
    private final Evaluations evaluations;
    private final DeadLetterPublisher deadLetters;

    public TestSetListener(TestSetGate gate, Evaluations evaluations, DeadLetterPublisher deadLetters) {
        this.gate = gate;
        this.evaluations = evaluations;
        this.deadLetters = deadLetters;
    }

    @Incoming("testset")
    @Blocking
    public void onChunk(ConsumerRecord<String, byte[]> record) {
        Batch chunk;
        try {
            chunk = TestSetChunks.read(record);
        } catch (MalformedRecordException e) {
            deadLetters.reject(e.getMessage(), Source.of(record));
            return;
        }
        TestSetGate.Released released = gate.add(chunk);
        if (released == null) return;
        for (Snapshot s : released.snapshots()) evaluations.evaluate(s, released.testSet());
    }
}
