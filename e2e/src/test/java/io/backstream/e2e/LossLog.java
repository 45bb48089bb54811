package io.backstream.e2e;

import io.backstream.events.EpochSummary;
import io.backstream.events.LossTopicEvent;
import io.backstream.events.StepLoss;
import io.backstream.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A run's committed loss log (training.loss, read_committed), and what must match between two runs of one spec. */
final class LossLog {
    private LossLog() {}

    /** Which step, of which epoch, and its loss: not timings or run ids. */
    record Step(int epoch, long step, double loss) {}

    /** The run's events, read until its {@code steps} step events and {@code epochs} summaries are there (or 60 s). */
    static List<LossTopicEvent> read(String bootstrap, String runId, int steps, int epochs) {
        List<String> raw = Topic.read(bootstrap, Topics.TRAINING_LOSS, runId, Duration.ofSeconds(60),
                v -> v.stream().filter(s -> s.contains("\"type\":\"epoch\"")).count() >= epochs && v.size() >= steps + epochs);
        List<LossTopicEvent> events = new ArrayList<>();
        for (String s : raw) events.add(LossTopicEvent.parse(s));
        return events;
    }

    static List<Step> steps(List<LossTopicEvent> log) {
        return log.stream().filter(e -> e instanceof StepLoss).map(e -> (StepLoss) e).map(s -> new Step(s.epoch(), s.step(), s.loss())).toList();
    }

    static List<EpochSummary> epochs(List<LossTopicEvent> log) {
        return log.stream().filter(e -> e instanceof EpochSummary).map(e -> (EpochSummary) e).toList();
    }
}
