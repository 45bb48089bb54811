package io.backstream.trainer.train;

/** The loss became NaN or infinite: further steps would only spread it into every weight. */
public final class DivergedException extends RuntimeException {
    private final long step;

    public DivergedException(int epoch, long step, double loss) {
        super("training diverged: loss is " + loss + " at epoch " + epoch + ", step " + step
                + " (weights before this step are intact; try a smaller learning rate)");
        this.step = step;
    }

    public long step() {
        return step;
    }
}
