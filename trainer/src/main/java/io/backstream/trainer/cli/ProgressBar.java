package io.backstream.trainer.cli;

import io.backstream.trainer.train.StepResult;
import java.io.PrintWriter;

/** A one-line progress bar on a terminal, redrawn at most ten times a second. Silent when output is not a terminal. */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final boolean enabled;
    private final int epochs;
    private long lastDraw;
    private double recentLoss = Double.NaN;

    ProgressBar(PrintWriter out, boolean enabled, int epochs) {
        this.out = out;
        this.enabled = enabled;
        this.epochs = epochs;
    }

    void update(StepResult s) {
        recentLoss = Double.isNaN(recentLoss) ? s.loss() : 0.98 * recentLoss + 0.02 * s.loss();
        long now = System.nanoTime();
        if (!enabled || (now - lastDraw < 100_000_000L && s.stepInEpoch() != s.stepsInEpoch())) return;
        lastDraw = now;
        int filled = (int) ((long) WIDTH * s.stepInEpoch() / s.stepsInEpoch());
        out.printf("\repoch %d/%d [%s%s] %d/%d  loss %.4f  %.0f img/s ", s.epoch(), epochs, "=".repeat(filled),
                " ".repeat(WIDTH - filled), s.stepInEpoch(), s.stepsInEpoch(), recentLoss, s.imagesPerSecond());
        out.flush();
    }

    void clear() {
        if (enabled) {
            out.print("\r" + " ".repeat(100) + "\r");
            out.flush();
        }
    }
}
