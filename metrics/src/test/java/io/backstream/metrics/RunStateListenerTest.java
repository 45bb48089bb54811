package io.backstream.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.events.OptimizerSpec;
import io.backstream.events.RunSpec;
import io.backstream.events.RunState;
import io.backstream.events.RunState.State;
import io.backstream.events.StepLoss;
import io.backstream.events.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** backstream_run_state{run, optimizer, state}: one series per state, 1 for the run's current one. */
class RunStateListenerTest {

    final MeterRegistry registry = new SimpleMeterRegistry();
    final Runs runs = new Runs(registry, 2);
    final MalformedEvents malformed = new MalformedEvents(registry);
    final RunStateListener listener = new RunStateListener(runs, malformed);
    long offset;

    void publish(String run, String json) {
        listener.onState(new ConsumerRecord<>(Topics.RUNS_STATE, 0, offset++, run, json));
    }

    void publish(String run, State state, String optimizer) {
        RunSpec spec = new RunSpec(optimizer == null ? null : OptimizerSpec.of(optimizer), 4, 1, null, RunSpec.SYNTHETIC, null);
        publish(run, new RunState(run, state, spec, 1, 0, null, 0.0, state == State.FAILED ? "diverged" : null, 1_000).toJson());
    }

    /** The run's state series as state → value, each checked to carry {@code optimizer}; empty if it has none. */
    Map<String, Double> states(String run, String optimizer) {
        Map<String, Double> out = new TreeMap<>();
        for (Gauge g : registry.find("backstream.run.state").tag("run", run).gauges()) {
            assertEquals(optimizer, g.getId().getTag("optimizer"), run + "'s state series are labelled like its other series");
            out.put(g.getId().getTag("state"), g.value());
        }
        return out;
    }

    /** Every state at 0 but {@code current} at 1. */
    static Map<String, Double> only(State current) {
        Map<String, Double> out = new TreeMap<>();
        for (State s : State.values()) out.put(s.name(), s == current ? 1.0 : 0.0);
        return out;
    }

    @Test
    @DisplayName("a run's series follow its states, PENDING → RUNNING → PAUSED → RUNNING → COMPLETED: always one state at 1, the others at 0")
    void transitions() {
        for (State s : new State[] {State.PENDING, State.RUNNING, State.PAUSED, State.RUNNING, State.COMPLETED}) {
            publish("run-s", s, "adam");
            assertEquals(only(s), states("run-s", "adam"), "after " + s);
        }
    }

    @Test
    @DisplayName("a PENDING run no loss event has named is known from its state, labelled with its spec's optimizer, and its loss joins the same labels")
    void unknownRunCreated() {
        publish("run-new", State.PENDING, "rmsprop");
        assertEquals(only(State.PENDING), states("run-new", "rmsprop"));
        assertEquals(0.0, registry.get("backstream.dead.letters").tag("run", "run-new").tag("optimizer", "rmsprop").functionCounter().count());
        runs.step(new StepLoss("run-new", 1, 1, 2.3, "rmsprop", 0.01, 4, 100, 1_000));
        assertEquals(only(State.PENDING), states("run-new", "rmsprop"));
        assertEquals(1.0, registry.get("backstream.steps").tag("run", "run-new").tag("optimizer", "rmsprop").functionCounter().count());
    }

    @Test
    @DisplayName("a spec without an optimizer is the trainer's default one; a state without a spec keeps what loss events named")
    void optimizerLabel() {
        publish("run-default", State.RUNNING, null);
        assertEquals(only(State.RUNNING), states("run-default", OptimizerSpec.DEFAULT_TYPE));
        runs.step(new StepLoss("run-nospec", 1, 1, 2.3, "adamw", 0.01, 4, 100, 1_000));
        publish("run-nospec", new RunState("run-nospec", State.RUNNING, null, 1, 1, 2.3, 100, null, 1_000).toJson());
        assertEquals(only(State.RUNNING), states("run-nospec", "adamw"));
    }

    @Test
    @DisplayName("a record that does not parse is counted as malformed on runs.state and changes no run's state")
    void malformedCounted() {
        publish("run-m", State.RUNNING, "sgd");
        publish("run-m", "{\"runId\":\"run-m\",\"state\":");
        publish("run-m", "{\"runId\":\"run-m\",\"state\":\"SLEEPING\",\"epoch\":0,\"step\":0,\"imagesPerSecond\":0,\"updatedAt\":1}");
        publish("run-m", "{\"runId\":\"run-m\",\"state\":\"FAILED\",\"epoch\":0,\"step\":0,\"imagesPerSecond\":0,\"updatedAt\":1}");   // FAILED needs a reason
        assertEquals(3.0, registry.get("backstream.malformed.events").tag("topic", Topics.RUNS_STATE).counter().count());
        assertEquals(only(State.RUNNING), states("run-m", "sgd"));
    }

    @Test
    @DisplayName("a tombstone removes the run's state series: its state is unknown, not the last one it had")
    void tombstone() {
        publish("run-t", State.RUNNING, "sgd");
        publish("run-t", (String) null);
        assertEquals(Map.of(), states("run-t", "sgd"));
        publish("run-never", (String) null);
        assertTrue(registry.find("backstream.dead.letters").tag("run", "run-never").meters().isEmpty(), "a tombstone creates no run");
    }

    @Test
    @DisplayName("a run forgotten by the max-runs bound takes its state series with it")
    void forgottenWithTheRun() {
        publish("run-1", State.COMPLETED, "sgd");
        publish("run-2", State.RUNNING, "sgd");
        publish("run-3", State.PENDING, "sgd");   // max-runs is 2 here: run-1, updated least recently, goes
        assertEquals(Map.of(), states("run-1", "sgd"));
        assertEquals(only(State.RUNNING), states("run-2", "sgd"));
        assertEquals(only(State.PENDING), states("run-3", "sgd"));
    }
}
