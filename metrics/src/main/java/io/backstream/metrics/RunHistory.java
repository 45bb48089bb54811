package io.backstream.metrics;

import io.backstream.events.EpochSummary;
import io.backstream.events.EvaluationResult;
import io.backstream.events.StepLoss;
import java.util.TreeMap;

/**
 * What a dashboard shows of one run besides its step-loss curve: the optimizer, the latest step
 * (loss, images/s), every epoch's summary (running loss per epoch) and every scored snapshot (test
 * accuracy per step). An epoch or a snapshot that comes again (a replay, the evaluator's
 * at-least-once scoring) replaces the first. Not thread-safe: {@link Runs} serialises access.
 */
final class RunHistory {

    private String optimizer = RunSeries.UNKNOWN;
    private double lr = Double.NaN;
    private int batchSize;
    private int epoch;
    private long step;
    private double lastLoss = Double.NaN;
    private double imagesPerSecond = Double.NaN;
    private final TreeMap<Integer, EpochSummary> epochs = new TreeMap<>();
    private final TreeMap<Long, EvaluationResult> evaluations = new TreeMap<>();

    void step(StepLoss s) {
        if (s.step() <= step) return;   // a replayed step is not news
        optimizer = s.optimizer();
        lr = s.lr();
        batchSize = s.batchSize();
        epoch = s.epoch();
        step = s.step();
        lastLoss = s.loss();
        imagesPerSecond = s.imagesPerSecond();
    }

    void epoch(EpochSummary e) {
        epochs.put(e.epoch(), e);
    }

    void evaluation(EvaluationResult r) {
        evaluations.put(r.step(), r);
    }

    /** A copy for the dashboard, with {@code loss} the run's step curve as it is to be shown. */
    RunCurves view(String runId, LossCurveResource.Curve loss) {
        int[] epochNumbers = new int[epochs.size()];
        double[] runningLoss = new double[epochs.size()];
        double[] meanLoss = new double[epochs.size()];
        double[] epochImagesPerSecond = new double[epochs.size()];
        int i = 0;
        for (EpochSummary e : epochs.values()) {
            epochNumbers[i] = e.epoch();
            runningLoss[i] = e.runningLoss();
            meanLoss[i] = e.meanLoss();
            epochImagesPerSecond[i++] = e.imagesPerSecond();
        }
        long[] scoredSteps = new long[evaluations.size()];
        double[] accuracy = new double[evaluations.size()];
        double[] testLoss = new double[evaluations.size()];
        i = 0;
        for (EvaluationResult r : evaluations.values()) {
            scoredSteps[i] = r.step();
            accuracy[i] = r.accuracy();
            testLoss[i++] = r.testLoss();
        }
        return new RunCurves(runId, optimizer, lr, batchSize, epoch, step, lastLoss, imagesPerSecond, loss,
                new RunCurves.Epochs(epochNumbers, runningLoss, meanLoss, epochImagesPerSecond),
                new RunCurves.Evaluations(scoredSteps, accuracy, testLoss));
    }
}
