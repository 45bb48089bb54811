package io.backstream.metrics;

import io.backstream.events.MalformedRecordException;
import io.backstream.events.RunState;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * runs.state → each run's backstream_run_state, so alerts know a run that is RUNNING and stuck from
 * one that is paused, ended or never started. The topic is compacted and replayed from its start, so
 * a restarted metrics service knows every run's state at once, loss events or not.
 */
@ApplicationScoped
public class RunStateListener {

    private final Runs runs;
    private final MalformedEvents malformed;

    public RunStateListener(Runs runs, MalformedEvents malformed) {
        this.runs = runs;
        this.malformed = malformed;
    }

    @Incoming("states")
    public void onState(ConsumerRecord<String, String> record) {
        if (record.value() == null) {   // a tombstone: the run's record was deleted from the table
            if (record.key() != null) runs.stateDeleted(record.key());
            return;
        }
        RunState state;
        try {
            state = RunState.parse(record.value());
        } catch (MalformedRecordException e) {
            malformed.runState(e.getMessage());
            return;
        }
        runs.state(state);
    }
}
