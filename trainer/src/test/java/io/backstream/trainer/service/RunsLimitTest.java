package io.backstream.trainer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.events.RunCommand;
import io.backstream.events.RunSpec;
import io.backstream.events.RunState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry on its own (no HTTP, the real broker for its transactions): the limit of active runs,
 * and what the REST side publishes for each change.
 */
class RunsLimitTest {

    /** Records what the REST side would publish outside the runs' transactions. */
    static final class RecordingEvents extends Events {
        final List<Object> published = new ArrayList<>();

        @Override
        void command(RunCommand command) {
            published.add(command.type());
        }

        @Override
        void state(RunState state) {
            if (state != null) published.add(state.state());
        }
    }

    private Runs runs;

    private Runs runs(int max, RecordingEvents events) {
        String id = UUID.randomUUID().toString();
        Runs r = HandBuiltRuns.start("limittest-" + id, "limittest-" + id + "-", max, events);
        runs = r;
        return r;
    }

    @AfterEach
    void close() {
        if (runs != null) runs.onStop(null);
    }

    @Test
    void atMostMaxActiveRunsAndAnEndedRunFreesItsPlace() {
        RecordingEvents events = new RecordingEvents();
        Runs runs = runs(2, events);
        RunSettings settings = RunSettings.of(RunSpec.defaults());
        Run first = runs.create(settings, null);
        runs.create(settings, null);
        TooManyRunsException e = assertThrows(TooManyRunsException.class, () -> runs.create(settings, null));
        assertTrue(e.getMessage().contains("2 of at most 2"), e.getMessage());
        runs.stop(first.id());
        runs.create(settings, null);
        assertEquals(3, runs.list().size());
        // PENDING and START of a new run go in its first transaction; the REST side publishes the stop
        assertEquals(List.of(RunCommand.Type.STOP, RunState.State.STOPPED), events.published);
    }

    @Test
    void aFailedStateFromTheLoaderEndsTheRun() {
        RecordingEvents events = new RecordingEvents();
        Runs runs = runs(4, events);
        Run run = runs.create(RunSettings.of(RunSpec.defaults()), null);
        runs.adopt(new RunState(run.id(), RunState.State.FAILED, null, 0, 0, null, 0, "cannot read /x: truncated at byte 12", 1));
        assertEquals(RunState.State.FAILED, run.state().state());
        assertEquals("cannot read /x: truncated at byte 12", run.state().reason());
        assertThrows(RunConflictException.class, () -> runs.resume(run.id()));
    }
}
