package io.backstream.events;

import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * The end of one epoch of a run, on {@link Topics#TRAINING_LOSS} after the epoch's last
 * {@link StepLoss}.
 *
 * <pre>{"type":"epoch","runId":…,"epoch":1,"steps":2000,"runningLoss":4585.55,"meanLoss":2.29,
 *  "imagesPerSecond":727.0,"timestamp":1700000000000}</pre>
 *
 * @param epoch 1-based
 * @param steps how many steps the epoch had
 * @param runningLoss the sum of the epoch's step losses, the figure the PyTorch tutorial prints
 * @param meanLoss {@code runningLoss / steps}
 * @param imagesPerSecond over the whole epoch
 * @param timestamp when the epoch finished, epoch milliseconds
 */
@JsonTypeName(EpochSummary.TYPE)
public record EpochSummary(String runId, int epoch, int steps, double runningLoss, double meanLoss,
                           double imagesPerSecond, long timestamp) implements LossTopicEvent {

    public static final String TYPE = "epoch";

    public EpochSummary {
        Checks.required("runId", runId);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Reads an epoch summary; a step event or anything else is a {@link MalformedRecordException}. */
    public static EpochSummary parse(String json) {
        return Json.read(json, EpochSummary.class);
    }
}
