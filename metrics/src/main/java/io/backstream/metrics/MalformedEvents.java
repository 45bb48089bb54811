package io.backstream.metrics;

import io.backstream.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Counts (backstream_malformed_events_total{topic}) and logs events that are not what the contract says. */
@Startup   // the counters show (at 0) before the first malformed event
@ApplicationScoped
public class MalformedEvents {

    private static final Logger LOG = Logger.getLogger(MalformedEvents.class);

    private final Counter loss;
    private final Counter evaluation;
    private final Counter deadLetter;
    private final Counter runState;

    public MalformedEvents(MeterRegistry registry) {
        this.loss = counter(registry, Topics.TRAINING_LOSS);
        this.evaluation = counter(registry, Topics.EVALUATION_RESULTS);
        this.deadLetter = counter(registry, Topics.TRAINING_DEADLETTER);
        this.runState = counter(registry, Topics.RUNS_STATE);
    }

    private static Counter counter(MeterRegistry registry, String topic) {
        return Counter.builder("backstream.malformed.events").description("events that did not parse, by topic")
                .tag("topic", topic).register(registry);
    }

    public void loss(String reason) {
        count(loss, Topics.TRAINING_LOSS, reason);
    }

    public void evaluation(String reason) {
        count(evaluation, Topics.EVALUATION_RESULTS, reason);
    }

    public void deadLetter(String reason) {
        count(deadLetter, Topics.TRAINING_DEADLETTER, reason);
    }

    public void runState(String reason) {
        count(runState, Topics.RUNS_STATE, reason);
    }

    private static void count(Counter counter, String topic, String reason) {
        counter.increment();
        LOG.warnf("malformed event on %s: %s", topic, reason);
    }
}
