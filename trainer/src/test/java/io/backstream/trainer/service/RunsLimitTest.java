package io.backstream.trainer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.events.DeadLetter;
import io.backstream.events.LossTopicEvent;
import io.backstream.events.RunCommand;
import io.backstream.events.RunSpec;
import io.backstream.events.RunState;
import io.backstream.events.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry on its own (no Kafka): the limit of active runs, and what each change publishes. */
class RunsLimitTest {

    /** Records what would be published. */
    static final class RecordingEvents extends Events {
        final List<Object> published = new ArrayList<>();

        @Override
        void loss(LossTopicEvent event) {
            published.add(event);
        }

        @Override
        void snapshot(SnapshotMetadata metadata, String dataset, byte[] onnx) {
            published.add(metadata);
        }

        @Override
        void command(RunCommand command) {
            published.add(command.type());
        }

        @Override
        void state(RunState state) {
            if (state != null) published.add(state.state());
        }

        @Override
        void deadLetter(DeadLetter letter) {
            published.add(letter);
        }
    }

    private static Runs runs(int max, RecordingEvents events) {
        Runs runs = new Runs();
        runs.events = events;
        runs.maxActiveRuns = max;
        runs.queueCapacity = 4;
        return runs;
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
        assertEquals(List.of(RunState.State.PENDING, RunCommand.Type.START, RunState.State.PENDING, RunCommand.Type.START,
                RunCommand.Type.STOP, RunState.State.STOPPED, RunState.State.PENDING, RunCommand.Type.START), events.published);
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
