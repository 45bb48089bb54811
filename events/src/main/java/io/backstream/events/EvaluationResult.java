package io.backstream.events;

import java.util.List;
import java.util.Objects;

/**
 * The evaluator's score of one model snapshot on the test set, on {@link Topics#EVALUATION_RESULTS}.
 *
 * <pre>{"runId":…,"step":2000,"epoch":1,"accuracy":0.242,"testLoss":2.28,
 *  "perClassAccuracy":[0.5,0.1,…],"count":500,"timestamp":1700000000000}</pre>
 *
 * @param step the step of the snapshot that was scored
 * @param epoch the epoch that step belongs to
 * @param accuracy fraction of test images classified correctly, 0..1
 * @param testLoss mean cross-entropy over the test set
 * @param perClassAccuracy ten fractions, index = label; NaN for a class the test set lacks
 * @param count how many test images were scored
 * @param timestamp when scoring finished, epoch milliseconds
 */
public record EvaluationResult(String runId, long step, int epoch, double accuracy, double testLoss,
                               List<Double> perClassAccuracy, long count, long timestamp) {

    public EvaluationResult {
        Checks.required("runId", runId);
        Checks.required("perClassAccuracy", perClassAccuracy);
        if (perClassAccuracy.size() != Cifar10.CLASSES) {
            throw new IllegalArgumentException("perClassAccuracy: must have " + Cifar10.CLASSES
                    + " entries (one per label), got " + perClassAccuracy.size());
        }
        if (perClassAccuracy.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("perClassAccuracy: entries must be numbers (NaN for a class with no images), got null");
        }
        perClassAccuracy = List.copyOf(perClassAccuracy);
    }

    public static EvaluationResult parse(String json) {
        return Json.read(json, EvaluationResult.class);
    }

    public String toJson() {
        return Json.write(this);
    }
}
