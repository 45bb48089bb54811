package io.backstream.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.EnumMap;
import java.util.Map;

/**
 * The series of one run. A series is registered when its first value arrives (no NaN placeholders),
 * labelled with the run's optimizer; evaluation results carry no optimizer, so until a loss event
 * names it the label is {@value #UNKNOWN}, and learning it re-registers every series under the
 * right label. The gauges read {@link Value}s this object holds, so they never lose their referent
 * (Micrometer holds gauge objects weakly). Not thread-safe: {@link Runs} serialises access.
 */
final class RunSeries {

    static final String UNKNOWN = "unknown";

    /** The current value of one series, read by its meter. */
    static final class Value {
        volatile double value;
        Meter meter;
    }

    private final MeterRegistry registry;
    private final String runId;
    private final Map<Series, Value> values = new EnumMap<>(Series.class);
    private String optimizer = UNKNOWN;

    RunSeries(MeterRegistry registry, String runId) {
        this.registry = registry;
        this.runId = runId;
    }

    /** Sets the optimizer label (null or the current one: no change). */
    void optimizer(String name) {
        if (name == null || name.equals(optimizer)) return;
        optimizer = name;
        for (Map.Entry<Series, Value> e : values.entrySet()) {
            registry.remove(e.getValue().meter);
            e.getValue().meter = register(e.getKey(), e.getValue());
        }
    }

    void set(Series s, double value) {
        Value v = values.get(s);
        if (v == null) {
            v = new Value();
            v.value = value;
            v.meter = register(s, v);
            values.put(s, v);
        }
        v.value = value;
    }

    /** Removes every series of the run from the registry. */
    void remove() {
        values.values().forEach(v -> registry.remove(v.meter));
        values.clear();
    }

    private Meter register(Series s, Value v) {
        Tags tags = Tags.of("run", runId, "optimizer", optimizer);
        if (s.counter) {
            return FunctionCounter.builder(s.meterName, v, x -> x.value).description(s.description).tags(tags).register(registry);
        }
        return Gauge.builder(s.meterName, v, x -> x.value).description(s.description).tags(tags).strongReference(true)
                .register(registry);
    }
}
