package io.backstream.metrics;

import io.backstream.events.EpochSummary;
import io.backstream.events.LossTopicEvent;
import io.backstream.events.MalformedRecordException;
import io.backstream.events.StepLoss;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** training.loss → the run's series and curve, and the live stream. */
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
    public void onLoss(String json) {
        LossTopicEvent event;
        try {
            event = LossTopicEvent.parse(json);
        } catch (MalformedRecordException e) {
            malformed.loss(e.getMessage());
            return;
        }
        if (event instanceof StepLoss s) runs.step(s);
        else if (event instanceof EpochSummary s) runs.epoch(s);
        stream.publish(event.type(), event.toJson());
    }
}
