package io.backstream.trainer.cli.plot;

import io.backstream.events.EpochSummary;
import io.backstream.events.OptimizerSpec;
import io.backstream.events.RunSpec;
import io.backstream.events.StepLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/** One run's loss curves as {@code training.loss} holds them: every step's loss and every epoch's running loss. */
public final class RunLoss {

    /** A step's loss (NaN or ±∞ if the run diverged). */
    public record Step(long step, double loss) {}

    /** An epoch's running loss: the sum of its step losses, as the tutorial prints it. */
    public record Epoch(int epoch, double runningLoss) {}

    private final String runId;
    private final List<Step> steps = new ArrayList<>();
    private final TreeMap<Integer, Double> epochs = new TreeMap<>();
    private String optimizer;
    private Double lr;
    private Integer batchSize;
    private RunSpec spec;

    public RunLoss(String runId) {
        this.runId = runId;
    }

    /** Adds a step event; one at or before the last step (a duplicate) is ignored. */
    public void add(StepLoss s) {
        if (!steps.isEmpty() && s.step() <= steps.get(steps.size() - 1).step()) return;
        steps.add(new Step(s.step(), s.loss()));
        optimizer = s.optimizer();
        lr = s.lr();
        batchSize = s.batchSize();
    }

    public void add(EpochSummary e) {
        epochs.put(e.epoch(), e.runningLoss());
    }

    /** The spec the run was started with (runs.state), for the hyper-parameters loss events do not carry. */
    public void spec(RunSpec spec) {
        this.spec = spec;
    }

    public String runId() {
        return runId;
    }

    public List<Step> steps() {
        return steps;
    }

    public List<Epoch> epochs() {
        return epochs.entrySet().stream().map(e -> new Epoch(e.getKey(), e.getValue())).toList();
    }

    /**
     * The run as a legend names it: its optimizer and the hyper-parameters that tell runs apart, then its
     * id, e.g. {@code sgd momentum 0.9 lr 0.001 bs 4 (run-1a2b3c4d)} (as the dashboard does).
     */
    public String label() {
        OptimizerSpec o = spec == null ? null : spec.optimizer();
        StringBuilder b = new StringBuilder(o != null && o.type() != null ? o.type() : optimizer != null ? optimizer : "?");
        if (o != null && o.momentum() != null && o.momentum() != 0) {
            b.append(" momentum ").append(number(o.momentum())).append(Boolean.TRUE.equals(o.nesterov()) ? " nesterov" : "");
        }
        if (o != null && Boolean.TRUE.equals(o.centered())) b.append(" centered");
        if (o != null && o.weightDecay() != null && o.weightDecay() != 0) b.append(" wd ").append(number(o.weightDecay()));
        Double rate = o != null && o.lr() != null ? o.lr() : lr;
        if (rate != null) b.append(" lr ").append(number(rate));
        Integer batch = spec != null && spec.batchSize() != null ? spec.batchSize() : batchSize;
        if (batch != null) b.append(" bs ").append(batch);
        return b.append(" (").append(runId).append(')').toString();
    }

    private static String number(double x) {
        return new java.math.BigDecimal(x).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString().toLowerCase(Locale.ROOT);
    }
}
