package io.backstream.data.service;

import io.backstream.events.RunSpec;
import io.backstream.events.RunState;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/** Publishes the loader's one run state, FAILED, on runs.state (key runId). */
@ApplicationScoped
public class RunStates {

    private static final Logger LOG = Logger.getLogger(RunStates.class);

    @Inject
    @Channel("run-states-out")
    Emitter<Record<String, String>> emitter;

    public void failed(String runId, RunSpec spec, String reason) {
        LOG.errorf("run %s FAILED: %s", runId, reason);
        RunState state = new RunState(runId, RunState.State.FAILED, spec, 0, 0, null, 0.0, reason, System.currentTimeMillis());
        emitter.send(Record.of(runId, state.toJson())).whenComplete((ok, error) -> {
            if (error != null) LOG.errorf(error, "could not publish FAILED for run %s", runId);
        });
    }
}
