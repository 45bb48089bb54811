package io.backstream.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.events.EpochSummary;
import io.backstream.events.EvaluationResult;
import io.backstream.events.StepLoss;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What GET /api/curves answers: every run's history for the dashboard. */
class RunsCurvesTest {

    final Runs runs = new Runs(new SimpleMeterRegistry(), 200);

    static StepLoss step(String run, int epoch, long step, double loss, String optimizer) {
        return new StepLoss(run, epoch, step, loss, optimizer, 0.01, 4, 500.0 + step, 1_000 + step);
    }

    static EpochSummary epoch(String run, int epoch, double runningLoss) {
        return new EpochSummary(run, epoch, 2, runningLoss, runningLoss / 2, 480.0 + epoch, 2_000);
    }

    static EvaluationResult evaluation(String run, long step, double accuracy) {
        return new EvaluationResult(run, step, 1, accuracy, 2 - accuracy, Collections.nCopies(10, accuracy), 500, 3_000);
    }

    @Test
    @DisplayName("each run: its optimizer and latest step, its thinned step curve, running loss per epoch, accuracy per snapshot")
    void oneRun() {
        for (long s = 1; s <= 4; s++) runs.step(step("run-a", s <= 2 ? 1 : 2, s, 2.5 - 0.1 * s, "rmsprop"));
        runs.epoch(epoch("run-a", 1, 4.5));
        runs.epoch(epoch("run-a", 2, 4.1));
        runs.evaluation(evaluation("run-a", 2, 0.25));
        runs.evaluation(evaluation("run-a", 4, 0.40));

        RunCurves a = runs.curves(3).get(0);
        assertEquals("run-a", a.runId());
        assertEquals("rmsprop", a.optimizer());
        assertEquals(0.01, a.lr());
        assertEquals(4, a.batchSize());
        assertEquals(2, a.epoch());
        assertEquals(4, a.step());
        assertEquals(2.1, a.lastLoss(), 1e-12);
        assertEquals(504.0, a.imagesPerSecond());
        assertEquals(4, a.loss().total(), "points held");
        assertTrue(a.loss().steps().length <= 3, "thinned to maxPoints");
        assertEquals(1, a.loss().steps()[0]);
        assertEquals(4, a.loss().steps()[a.loss().steps().length - 1]);
        assertArrayEquals(new int[] {1, 2}, a.epochs().epoch());
        assertArrayEquals(new double[] {4.5, 4.1}, a.epochs().runningLoss());
        assertArrayEquals(new double[] {481.0, 482.0}, a.epochs().imagesPerSecond());
        assertArrayEquals(new long[] {2, 4}, a.evaluations().step());
        assertArrayEquals(new double[] {0.25, 0.40}, a.evaluations().accuracy());
        assertArrayEquals(new double[] {1.75, 1.60}, a.evaluations().testLoss());
    }

    @Test
    @DisplayName("runs are listed in the order first seen, whatever updated them since")
    void order() {
        runs.evaluation(evaluation("run-c", 1, 0.1));
        runs.step(step("run-a", 1, 1, 2.3, "sgd"));
        runs.step(step("run-b", 1, 1, 2.3, "adam"));
        runs.step(step("run-c", 1, 1, 2.3, "sgd"));
        assertEquals(List.of("run-c", "run-a", "run-b"), runs.curves(10).stream().map(RunCurves::runId).toList());
    }

    @Test
    @DisplayName("a run known only from an evaluation has no optimizer yet and an empty step curve")
    void evaluationFirst() {
        runs.evaluation(evaluation("run-e", 5, 0.3));
        RunCurves e = runs.curves(10).get(0);
        assertEquals(RunSeries.UNKNOWN, e.optimizer());
        assertEquals(0, e.loss().total());
        assertEquals(0, e.loss().steps().length);
        assertArrayEquals(new long[] {5}, e.evaluations().step());
    }

    @Test
    @DisplayName("replays change nothing: an epoch or snapshot seen again replaces itself, an older step does not move the latest back")
    void replays() {
        runs.step(step("run-r", 1, 1, 2.3, "sgd"));
        runs.step(step("run-r", 1, 2, 2.2, "sgd"));
        runs.epoch(epoch("run-r", 1, 4.5));
        runs.evaluation(evaluation("run-r", 2, 0.3));
        runs.step(step("run-r", 1, 1, 9.9, "sgd"));
        runs.epoch(epoch("run-r", 1, 4.5));
        runs.evaluation(evaluation("run-r", 2, 0.3));
        RunCurves r = runs.curves(10).get(0);
        assertEquals(2, r.step());
        assertEquals(2.2, r.lastLoss());
        assertArrayEquals(new long[] {1, 2}, r.loss().steps());
        assertArrayEquals(new int[] {1}, r.epochs().epoch());
        assertArrayEquals(new long[] {2}, r.evaluations().step());
    }
}
