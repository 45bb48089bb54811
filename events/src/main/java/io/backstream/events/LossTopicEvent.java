package io.backstream.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A value on {@link Topics#TRAINING_LOSS}: a {@link StepLoss} or an {@link EpochSummary}. Their
 * JSON carries {@code "type": "step"} or {@code "type": "epoch"} as its first field, which is all a
 * consumer in any language needs to tell them apart.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(StepLoss.class), @JsonSubTypes.Type(EpochSummary.class)})
public sealed interface LossTopicEvent permits StepLoss, EpochSummary {

    /** The {@code type} this event is written with: "step" or "epoch". */
    @JsonIgnore
    String type();

    String runId();

    int epoch();

    /**
     * Reads either event, dispatching on {@code type}; a missing or unknown type, or anything else
     * off-contract, is a {@link MalformedRecordException} that says so.
     */
    static LossTopicEvent parse(String json) {
        return Json.read(json, LossTopicEvent.class);
    }

    default String toJson() {
        return Json.write(this);
    }
}
