package io.backstream.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.backstream.events.EpochSummary;
import io.backstream.events.LossTopicEvent;
import io.backstream.events.StepLoss;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** training.loss is handled a poll at a time. */
class LossListenerTest {

    final MeterRegistry registry = new SimpleMeterRegistry();
    final Runs runs = new Runs(registry, 200);
    final LiveStream stream = new LiveStream();
    final LossListener listener = new LossListener(runs, stream, new MalformedEvents(registry));

    static String step(String run, long step, double loss) {
        return new StepLoss(run, 1, step, loss, "sgd", 0.001, 1, 900, 1_000 + step).toJson();
    }

    static String epoch(String run, int steps, double runningLoss) {
        return new EpochSummary(run, 1, steps, runningLoss, runningLoss / steps, 900, 2_000).toJson();
    }

    /** "step run-a@3", "epoch run-a" */
    static List<String> names(List<LiveStream.Event> events) {
        return events.stream().map(e -> {
            LossTopicEvent event = LossTopicEvent.parse(e.json());
            return e.name() + " " + event.runId() + (event instanceof StepLoss s ? "@" + s.step() : "");
        }).toList();
    }

    @Test
    @DisplayName("every step of a poll reaches the series and the curve; the live stream gets each run's last step of the poll")
    void lastStepPerRunStreamed() {
        List<LiveStream.Event> streamed = StreamCapture.of(stream, () -> listener.onLoss(List.of(
                step("run-a", 1, 2.3), step("run-b", 1, 2.2), step("run-a", 2, 2.1), step("run-a", 3, 2.0), step("run-b", 2, 1.9))));
        assertEquals(List.of("step run-a@3", "step run-b@2"), names(streamed));
        assertEquals(StepLoss.parse(step("run-a", 3, 2.0)), StepLoss.parse(streamed.get(0).json()));
        assertArrayEquals(new long[] {1, 2, 3}, runs.curve("run-a").downsample(10).steps());
        assertArrayEquals(new long[] {1, 2}, runs.curve("run-b").downsample(10).steps());
        assertEquals(2.0, registry.get("backstream.loss").tag("run", "run-a").gauge().value());
        assertEquals(3.0, registry.get("backstream.steps").tag("run", "run-a").functionCounter().count());
    }

    @Test
    @DisplayName("an epoch summary goes out after its run's last step before it, and steps after it follow it")
    void epochKeepsItsPlace() {
        List<LiveStream.Event> streamed = StreamCapture.of(stream, () -> listener.onLoss(List.of(
                step("run-a", 1, 2.3), step("run-b", 1, 2.2), step("run-a", 2, 2.1), epoch("run-a", 2, 4.4), step("run-a", 3, 2.0))));
        assertEquals(List.of("step run-a@2", "epoch run-a", "step run-b@1", "step run-a@3"), names(streamed));
        assertEquals(4.4, registry.get("backstream.running.loss").tag("run", "run-a").gauge().value());
    }

    @Test
    @DisplayName("a malformed event is counted and skipped; the rest of its poll is handled")
    void malformedSkipped() {
        listener.onLoss(List.of(step("run-a", 1, 2.3), "{\"type\":\"step\",\"runId\":", step("run-a", 2, 2.1)));
        assertEquals(1.0, registry.get("backstream.malformed.events").tag("topic", "training.loss").counter().count());
        assertArrayEquals(new long[] {1, 2}, runs.curve("run-a").downsample(10).steps());
    }
}
