package io.backstream.metrics;

/**
 * One run as the dashboard draws it ({@code GET /api/curves}): the latest step, the step-loss curve
 * (thinned), the running loss per epoch and the test accuracy per scored snapshot. Curves are
 * columns (parallel arrays), the shape charting libraries take. Before the run's first step event
 * the optimizer is {@value RunSeries#UNKNOWN} and the numbers of the latest step are 0 or NaN.
 */
public record RunCurves(String runId, String optimizer, double lr, int batchSize, int epoch, long step, double lastLoss,
                        double imagesPerSecond, LossCurveResource.Curve loss, Epochs epochs, Evaluations evaluations) {

    /** Each epoch's summary: {@code runningLoss[i]} is the sum of epoch {@code epoch[i]}'s step losses. */
    public record Epochs(int[] epoch, double[] runningLoss, double[] meanLoss, double[] imagesPerSecond) {}

    /** Each scored snapshot: accuracy (0..1) and mean test loss of the weights after step {@code step[i]}. */
    public record Evaluations(long[] step, double[] accuracy, double[] testLoss) {}
}
