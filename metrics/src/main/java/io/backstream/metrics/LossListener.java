package io.backstream.metrics;

import io.backstream.events.EpochSummary;
import io.backstream.events.LossTopicEvent;
import io.backstream.events.MalformedRecordException;
import io.backstream.events.StepLoss;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * training.loss → the run's series and curve, and the live stream, a poll at a time: at batch size 1
 * the trainer publishes up to ~1,500 steps a second, and handing them over one by one cost far more
 * than the work each needs. Every event reaches the series and the curve. The live stream gets each
 * run's last step of a poll: a poll holds up to {@code fetch.max.wait.ms} (40 ms) of events, so a
 * live view lags at most that, and a run's steps reach a client ~25 times a second however fast it
 * trains (the whole curve is {@link LossCurveResource}'s job). Every epoch summary goes out, after its
 * run's last step before it.
 */
@ApplicationScoped
public class LossListener {

    private final Runs runs;
    private final LiveStream stream;
    private final MalformedEvents malformed;

    public LossListener(Runs runs, LiveStream stream, MalformedEvents malformed) {
        this.runs = runs;
        this.stream = stream;
        this.malformed = malformed;
    }

    @Incoming("loss")
    public void onLoss(List<String> poll) {
        Map<String, StepLoss> lastSteps = new LinkedHashMap<>();
        for (String json : poll) {
            LossTopicEvent event;
            try {
                event = LossTopicEvent.parse(json);
            } catch (MalformedRecordException e) {
                malformed.loss(e.getMessage());
                continue;
            }
            if (event instanceof StepLoss s) {
                runs.step(s);
                lastSteps.put(s.runId(), s);
            } else if (event instanceof EpochSummary s) {
                runs.epoch(s);
                publish(lastSteps.remove(s.runId()));
                publish(s);
            }
        }
        lastSteps.values().forEach(this::publish);
    }

    private void publish(LossTopicEvent event) {
        if (event != null) stream.publish(event.type(), event.toJson());
    }
}
