package io.backstream.evaluator.service;

import io.backstream.events.EvaluationResult;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/** Publishes evaluation results as JSON on the {@code results} channel (evaluation.results), key runId. */
@ApplicationScoped
public class ResultPublisher {

    private static final Logger LOG = Logger.getLogger(ResultPublisher.class);

    @Channel("results")
    Emitter<Record<String, String>> results;

    public void publish(EvaluationResult r) {
        results.send(Record.of(r.runId(), r.toJson())).whenComplete((ok, e) -> {
            if (e != null) LOG.errorf(e, "could not publish the result of run %s step %d", r.runId(), r.step());
        });
    }
}
