package io.backstream.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.backstream.events.EvaluationResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The evaluator scores at least once: after a restart a (runId, step) can come again. */
class EvaluationListenerTest {

    final MeterRegistry registry = new SimpleMeterRegistry();
    final LiveStream stream = new LiveStream();
    final EvaluationListener listener = new EvaluationListener(new Runs(registry, 200), stream, new MalformedEvents(registry));

    static String result(long step, double accuracy, long timestamp) {
        return new EvaluationResult("run-e", step, 1, accuracy, 2.0 - accuracy, Collections.nCopies(10, accuracy), 500, timestamp).toJson();
    }

    double accuracy() {
        return registry.get("backstream.accuracy").tag("run", "run-e").gauge().value();
    }

    @Test
    @DisplayName("a result repeated for the same (runId, step) replaces the first: one series value, one event on the stream")
    void repeatReplaces() {
        List<LiveStream.Event> streamed = StreamCapture.of(stream, () -> {
            listener.onEvaluation(result(500, 0.30, 1_000));
            listener.onEvaluation(result(500, 0.30, 2_000));
        });
        assertEquals(0.30, accuracy());
        assertEquals(1, registry.find("backstream.accuracy").gauges().size());
        assertEquals(List.of(500L), steps(streamed));
    }

    @Test
    @DisplayName("a repeat of an older step, after newer ones, leaves the series at the latest step and is not streamed again")
    void olderRepeatIgnored() {
        List<LiveStream.Event> streamed = StreamCapture.of(stream, () -> {
            listener.onEvaluation(result(500, 0.30, 1_000));
            listener.onEvaluation(result(1000, 0.45, 2_000));
            listener.onEvaluation(result(500, 0.30, 3_000));   // the restarted evaluator starts over from 500
            assertEquals(0.45, accuracy());
            listener.onEvaluation(result(1000, 0.45, 4_000));
            listener.onEvaluation(result(1500, 0.52, 5_000));
        });
        assertEquals(0.52, accuracy());
        assertEquals(List.of(500L, 1000L, 1500L), steps(streamed));
    }

    static List<Long> steps(List<LiveStream.Event> events) {
        return events.stream().map(e -> EvaluationResult.parse(e.json()).step()).toList();
    }
}
