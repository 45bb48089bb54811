package io.backstream.metrics;

import io.backstream.events.EvaluationResult;
import io.backstream.events.MalformedRecordException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * evaluation.results → the run's accuracy and test loss, and the live stream. A result can come
 * twice (the evaluator scores at least once, see {@link Runs#evaluation}): it replaces the first in
 * the series, and the stream carries each (runId, step) once.
 */
@ApplicationScoped
public class EvaluationListener {

    static final String EVENT = "evaluation";

    private final Runs runs;
    private final LiveStream stream;
    private final MalformedEvents malformed;

    public EvaluationListener(Runs runs, LiveStream stream, MalformedEvents malformed) {
        this.runs = runs;
        this.stream = stream;
        this.malformed = malformed;
    }

    @Incoming("evaluations")
    public void onEvaluation(String json) {
        EvaluationResult result;
        try {
            result = EvaluationResult.parse(json);
        } catch (MalformedRecordException e) {
            malformed.evaluation(e.getMessage());
            return;
        }
        if (runs.evaluation(result)) stream.publish(EVENT, result.toJson());
    }
}
