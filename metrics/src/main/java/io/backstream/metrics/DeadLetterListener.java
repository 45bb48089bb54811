package io.backstream.metrics;

import io.backstream.events.DeadLetter;
import io.backstream.events.MalformedRecordException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * training.deadletter → each run's backstream_dead_letters_total. The count comes from the topic
 * (replayed from its start, read_committed, like the other series), not from a counter in the
 * process that refused the record: a restarted trainer, loader, evaluator or metrics service shows
 * the same count, and a dead letter of an aborted trainer transaction never counts.
 */
@ApplicationScoped
public class DeadLetterListener {

    private final Runs runs;
    private final MalformedEvents malformed;

    public DeadLetterListener(Runs runs, MalformedEvents malformed) {
        this.runs = runs;
        this.malformed = malformed;
    }

    @Incoming("deadletters")
    public void onDeadLetter(String json) {
        DeadLetter letter;
        try {
            letter = DeadLetter.parse(json);
        } catch (MalformedRecordException e) {
            malformed.deadLetter(e.getMessage());
            return;
        }
        runs.deadLetter(letter);
    }
}
