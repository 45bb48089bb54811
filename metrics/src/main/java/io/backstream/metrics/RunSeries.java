package io.backstream.metrics;

import io.backstream.events.RunState.State;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Map;

/**
 * The series of one run. A series is registered when its first value arrives (no NaN placeholders),
 * labelled with the run's optimizer; evaluation results carry no optimizer, so until a loss event
 * or the run's state (its spec) names it the label is {@value #UNKNOWN}, and learning it
 * re-registers every series under the right label. The run's state is {@link Series#RUN_STATE}, a
 * series per {@link State}. The gauges read {@link Value}s this object holds, so they never lose
 * their referent (Micrometer holds gauge objects weakly). Not thread-safe: {@link Runs} serialises access.
 */
final class RunSeries {

    static final String UNKNOWN = "unknown";

    /** The current value of one series, read by its meter. */
    static final class Value {
        volatile double value;
        Meter meter;
    }

    /** Which series: {@code state} is the state a {@link Series#RUN_STATE} series is the 0/1 of, null for the others. */
    private record Key(Series series, State state) {
    }

    private final MeterRegistry registry;
    private final String runId;
    private final Map<Key, Value> values = new HashMap<>();
    private String optimizer = UNKNOWN;

    RunSeries(MeterRegistry registry, String runId) {
        this.registry = registry;
        this.runId = runId;
    }

    /** Sets the optimizer label (null or the current one: no change). */
    void optimizer(String name) {
        if (name == null || name.equals(optimizer)) return;
        optimizer = name;
        for (Map.Entry<Key, Value> e : values.entrySet()) {
            registry.remove(e.getValue().meter);
            e.getValue().meter = register(e.getKey(), e.getValue());
        }
    }

    void set(Series s, double value) {
        set(new Key(s, null), value);
    }

    /** The run is in {@code current}: its series is 1, every other state's 0. */
    void state(State current) {
        for (State s : State.values()) set(new Key(Series.RUN_STATE, s), s == current ? 1 : 0);
    }

    /** The run's state is no longer known (its record was deleted): no state series at all, rather than a stale 1. */
    void forgetState() {
        values.entrySet().removeIf(e -> {
            boolean state = e.getKey().series() == Series.RUN_STATE;
            if (state) registry.remove(e.getValue().meter);
            return state;
        });
    }

    private void set(Key key, double value) {
        Value v = values.get(key);
        if (v == null) {
            v = new Value();
            v.value = value;
            v.meter = register(key, v);
            values.put(key, v);
        }
        v.value = value;
    }

    /** Removes every series of the run from the registry. */
    void remove() {
        values.values().forEach(v -> registry.remove(v.meter));
        values.clear();
    }

    private Meter register(Key key, Value v) {
        Series s = key.series();
        Tags tags = Tags.of("run", runId, "optimizer", optimizer);
        if (key.state() != null) tags = tags.and("state", key.state().name());
        if (s.counter) {
            return FunctionCounter.builder(s.meterName, v, x -> x.value).description(s.description).tags(tags).register(registry);
        }
        return Gauge.builder(s.meterName, v, x -> x.value).description(s.description).tags(tags).strongReference(true)
                .register(registry);
    }
}
