package io.backstream.events;

import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * One optimisation step of a run, as the trainer publishes it on {@link Topics#TRAINING_LOSS}.
 *
 * <pre>{"type":"step","runId":…,"epoch":1,"step":1,"loss":2.3,"optimizer":"sgd","lr":0.001,
 *  "batchSize":4,"imagesPerSecond":812.5,"timestamp":1700000000000}</pre>
 *
 * @param epoch 1-based
 * @param step 1-based over the whole run (not restarting with each epoch)
 * @param loss the mean cross-entropy of the batch, taken before the update; may be NaN or ±∞ when
 *     the run diverges (written as the strings "NaN", "Infinity", "-Infinity")
 * @param optimizer "sgd", "adam", "adamw" or "rmsprop"
 * @param lr the learning rate this step used
 * @param imagesPerSecond training throughput around this step
 * @param timestamp when the step finished, epoch milliseconds
 */
@JsonTypeName(StepLoss.TYPE)
public record StepLoss(String runId, int epoch, long step, double loss, String optimizer, double lr, int batchSize,
                       double imagesPerSecond, long timestamp) implements LossTopicEvent {

    public static final String TYPE = "step";

    public StepLoss {
        Checks.required("runId", runId);
        Checks.required("optimizer", optimizer);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Reads a step event; an epoch summary or anything else is a {@link MalformedRecordException}. */
    public static StepLoss parse(String json) {
        return Json.read(json, StepLoss.class);
    }
}
