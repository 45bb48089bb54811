package io.backstream.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.backstream.events.DeadLetter;
import io.backstream.events.StepLoss;
import io.backstream.events.Topics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** backstream_dead_letters_total: per run, each refused source record once. */
class DeadLetterListenerTest {

    final MeterRegistry registry = new SimpleMeterRegistry();
    final Runs runs = new Runs(registry, 200);
    final MalformedEvents malformed = new MalformedEvents(registry);
    final DeadLetterListener listener = new DeadLetterListener(runs, malformed);

    static String letter(String key, String topic, long offset) {
        return new DeadLetter("label 12 outside 0..9 at position 3", topic, 0, offset, key, 1_000 + offset).toJson();
    }

    /** The run's count, or null if it has no such series. */
    Double count(String run) {
        FunctionCounter c = registry.find("backstream.dead.letters").tag("run", run).functionCounter();
        return c == null ? null : c.count();
    }

    @Test
    @DisplayName("a run is known with 0 dead letters from its first loss event, so a rise from 0 is visible")
    void zeroFromTheFirstStep() {
        runs.step(new StepLoss("run-d", 1, 1, 2.3, "sgd", 0.001, 4, 100, 1_000));
        assertEquals(0.0, count("run-d"));
        assertEquals("sgd", registry.get("backstream.dead.letters").tag("run", "run-d").functionCounter().getId().getTag("optimizer"));
    }

    @Test
    @DisplayName("each refused record counts once against the run its key names, however often it is dead-lettered")
    void distinctSourceRecords() {
        listener.onDeadLetter(letter("run-d", Topics.TRAINING_BATCHES, 7));
        listener.onDeadLetter(letter("run-d", Topics.TRAINING_BATCHES, 7));   // a trainer that crashed after committing it, read again
        listener.onDeadLetter(letter("run-d", Topics.TRAINING_BATCHES, 9));
        listener.onDeadLetter(letter("run-d", Topics.MODEL_SNAPSHOTS, 7));    // the same offset of another topic is another record
        listener.onDeadLetter(letter("run-other", Topics.TRAINING_BATCHES, 8));
        assertEquals(3.0, count("run-d"));
        assertEquals(1.0, count("run-other"));
    }

    @Test
    @DisplayName("a letter for a record without a key counts under run \"none\"; a letter that does not parse is a malformed event")
    void noKeyAndMalformed() {
        listener.onDeadLetter(letter(null, Topics.RUNS_CONTROL, 3));
        assertEquals(1.0, count(Runs.NO_KEY));
        listener.onDeadLetter("{\"reason\":");
        assertEquals(1.0, registry.get("backstream.malformed.events").tag("topic", Topics.TRAINING_DEADLETTER).counter().count());
        assertNull(count("run-never"));
    }
}
