package io.backstream.trainer.service;

import io.backstream.events.RunSpec;
import io.backstream.events.RunState;

/**
 * A run as the REST API shows it.
 *
 * @param spec the spec with omitted top-level fields filled in (batch size, epochs, dataset, optimizer type)
 * @param reason why the run failed or stopped; null otherwise
 * @param deadLetters how many of the run's batch records were refused (sent to training.deadletter), as committed
 */
public record RunView(String id, RunState.State state, int epoch, long step, Double lastLoss, double imagesPerSecond,
                      String reason, RunSpec spec, long updatedAt, long deadLetters) {

    static RunView of(Run run) {
        return of(run.state(), run);
    }

    /** {@code s}, a state of {@code run} a change returned. */
    static RunView of(RunState s, Run run) {
        return new RunView(s.runId(), s.state(), s.epoch(), s.step(), s.lastLoss(), s.imagesPerSecond(), s.reason(), s.spec(),
                s.updatedAt(), run.deadLetters());
    }
}
