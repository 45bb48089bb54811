package io.backstream.trainer.train;

/**
 * An epoch's end. {@code runningLoss} is the tutorial's figure: the sum of every step's loss in
 * the epoch ({@code running_loss = running_loss + result_loss}).
 */
public record EpochSummary(int epoch, int steps, double runningLoss, long images, double seconds) {
    public double meanLoss() {
        return runningLoss / steps;
    }

    public double imagesPerSecond() {
        return images / seconds;
    }
}
