package io.backstream.metrics;

import io.backstream.events.DeadLetter;
import io.backstream.events.EpochSummary;
import io.backstream.events.EvaluationResult;
import io.backstream.events.OptimizerSpec;
import io.backstream.events.RunSpec;
import io.backstream.events.RunState;
import io.backstream.events.StepLoss;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the metrics service knows of each run: its series (a dead-letter count at 0 from the moment
 * the run is known, so alerts see it rise; its state from runs.state), its loss curve and its
 * history (epochs, scored snapshots) for dashboards. A run is known from whichever event names it
 * first: a PENDING run has published no loss yet. At most
 * {@code backstream.metrics.max-runs} runs are kept; the run updated least recently is forgotten
 * first, series and curve (so Prometheus cardinality stays bounded too).
 */
@ApplicationScoped
public class Runs {

    private static final class Run {
        final RunSeries series;
        final LossCurve curve = new LossCurve();
        final RunHistory history = new RunHistory();
        final long seen;                    // when the run was first seen: dashboards list runs in this order
        long scoredStep = Long.MIN_VALUE;   // the step of the latest evaluation: the one the series show
        final Set<String> deadLetterSources = new HashSet<>();   // "topic-partition@offset" of each refused record
        long touched;

        Run(RunSeries series, long seen) {
            this.series = series;
            this.seen = seen;
        }
    }

    /** The run label of dead letters whose record had no key. */
    static final String NO_KEY = "none";

    private final MeterRegistry registry;
    private final int maxRuns;
    private final Map<String, Run> runs = new HashMap<>();
    private long clock;

    public Runs(MeterRegistry registry, @ConfigProperty(name = "backstream.metrics.max-runs", defaultValue = "200") int maxRuns) {
        this.registry = registry;
        this.maxRuns = maxRuns;
    }

    public synchronized void step(StepLoss e) {
        Run run = run(e.runId());
        run.series.optimizer(e.optimizer());
        run.series.set(Series.LOSS, e.loss());
        run.series.set(Series.EPOCH, e.epoch());
        run.series.set(Series.STEPS, e.step());
        run.series.set(Series.IMAGES_PER_SECOND, e.imagesPerSecond());
        run.curve.append(e.step(), (float) e.loss());
        run.history.step(e);
    }

    public synchronized void epoch(EpochSummary e) {
        Run run = run(e.runId());
        run.series.set(Series.RUNNING_LOSS, e.runningLoss());
        run.series.set(Series.EPOCH, e.epoch());
        run.history.epoch(e);
    }

    /**
     * Sets the run's accuracy and test loss from a scored snapshot; true if its step is new for the
     * run. The evaluator scores at least once: restarted, it scores again the snapshots after its
     * last committed offset, so a (runId, step) can come twice, even after newer steps. The series
     * show the latest step's result: a repeat of it replaces its values (the same ones: scoring is
     * deterministic), a result for an older step is ignored.
     */
    public synchronized boolean evaluation(EvaluationResult e) {
        Run run = run(e.runId());
        if (e.step() < run.scoredStep) return false;
        boolean first = e.step() > run.scoredStep;
        run.scoredStep = e.step();
        run.series.set(Series.ACCURACY, e.accuracy());
        run.series.set(Series.TEST_LOSS, e.testLoss());
        run.history.evaluation(e);
        return first;
    }

    /**
     * Counts a refused record against the run its key names; true if that source record is new. A
     * record can be dead-lettered more than once (the evaluator and the loader publish at least once,
     * and a trainer that crashes right after committing a dead letter reads the record again), so the
     * count is of distinct source records (topic, partition, offset). A letter without a key counts
     * under run {@value #NO_KEY}.
     */
    public synchronized boolean deadLetter(DeadLetter letter) {
        Run run = run(letter.key() == null ? NO_KEY : letter.key());
        boolean first = run.deadLetterSources.add(letter.sourceTopic() + "-" + letter.partition() + "@" + letter.offset());
        run.series.set(Series.DEAD_LETTERS, run.deadLetterSources.size());
        return first;
    }

    /**
     * The run's state series follow its latest runs.state record; the optimizer label comes from its
     * spec (the trainer's default when the spec names none), as loss events would name it.
     */
    public synchronized void state(RunState s) {
        Run run = run(s.runId());
        run.series.optimizer(optimizer(s.spec()));
        run.series.state(s.state());
    }

    /** The run's runs.state record was deleted (a tombstone): its state is no longer known. */
    public synchronized void stateDeleted(String runId) {
        Run run = runs.get(runId);
        if (run != null) run.series.forgetState();
    }

    private static String optimizer(RunSpec spec) {
        if (spec == null) return null;
        return spec.optimizer() == null ? OptimizerSpec.DEFAULT_TYPE : spec.optimizer().effectiveType();
    }

    /** The run's loss curve, or null for a run never seen (or forgotten). */
    public synchronized LossCurve curve(String runId) {
        Run run = runs.get(runId);
        return run == null ? null : run.curve;
    }

    /** Every run, first seen first, each with its step curve thinned to at most {@code maxPoints} points. */
    public List<RunCurves> curves(int maxPoints) {
        List<Map.Entry<String, Run>> all;
        synchronized (this) {
            all = new ArrayList<>(runs.entrySet());
        }
        all.sort(Comparator.comparingLong(e -> e.getValue().seen));
        List<RunCurves> out = new ArrayList<>(all.size());
        for (Map.Entry<String, Run> e : all) {
            // thinned under the curve's own lock only: the listeners keep appending meanwhile
            LossCurveResource.Curve loss = LossCurveResource.curve(e.getKey(), e.getValue().curve, maxPoints, Long.MIN_VALUE, Long.MAX_VALUE);
            synchronized (this) {
                out.add(e.getValue().history.view(e.getKey(), loss));
            }
        }
        return out;
    }

    private Run run(String runId) {
        Run run = runs.get(runId);
        if (run == null) {
            if (runs.size() >= maxRuns) forgetOldest();
            run = new Run(new RunSeries(registry, runId), ++clock);
            run.series.set(Series.DEAD_LETTERS, 0);
            runs.put(runId, run);
        }
        run.touched = ++clock;
        return run;
    }

    private void forgetOldest() {
        String oldest = null;
        long at = Long.MAX_VALUE;
        for (Map.Entry<String, Run> e : runs.entrySet()) {
            if (e.getValue().touched < at) {
                at = e.getValue().touched;
                oldest = e.getKey();
            }
        }
        runs.remove(oldest).series.remove();
    }
}
