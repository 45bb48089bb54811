package io.backstream.events;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code POST /api/runs} takes: how to train one run. Also carried inside {@link RunCommand}
 * (START) and {@link RunState}.
 *
 * <pre>{"optimizer":{"type":"adam","lr":0.001,"betas":[0.9,0.999]},"batchSize":64,"epochs":2,
 *  "shuffleSeed":7,"dataset":"synthetic","snapshotEvery":500}</pre>
 *
 * <p>Every field may be omitted, {@code {}} included; an omitted field is {@code null} here and the
 * trainer fills the default, which is train-local's (and so the tutorial's where it has one):
 * SGD with PyTorch's defaults (lr 0.001), batch size 1, 1 epoch, file order, the bundled synthetic
 * dataset, a snapshot only at the end of the run, and failing on a bad batch record.
 *
 * @param batchSize images per step, 1..{@value #MAX_BATCH_SIZE}
 * @param epochs 1..{@value #MAX_EPOCHS}
 * @param shuffleSeed seed of the per-epoch shuffle; {@code null} = file order, no shuffle
 * @param dataset {@value #SYNTHETIC} (bundled SYNCIFAR) or a path on the data-loader's machine
 * @param snapshotEvery publish a model snapshot every this many steps (and at the end)
 * @param onBadBatch what the trainer does with a batch record it cannot use (malformed, wrong run
 *     size or epoch): {@value #FAIL} (default: the run fails, naming the record) or {@value #SKIP}
 *     (skipped). Either way it goes to training.deadletter, where metrics counts it.
 */
public record RunSpec(OptimizerSpec optimizer, Integer batchSize, Integer epochs, Long shuffleSeed, String dataset,
                      Long snapshotEvery, String onBadBatch) {

    /** {@link #onBadBatch}: the run fails on the first bad batch record. */
    public static final String FAIL = "fail";

    /** {@link #onBadBatch}: a bad batch record is skipped (and counted from the dead-letter topic). */
    public static final String SKIP = "skip";

    /** A spec without {@code onBadBatch} (the default, {@value #FAIL}). */
    public RunSpec(OptimizerSpec optimizer, Integer batchSize, Integer epochs, Long shuffleSeed, String dataset, Long snapshotEvery) {
        this(optimizer, batchSize, epochs, shuffleSeed, dataset, snapshotEvery, null);
    }

    /** The largest batch: a 4096-image batch record is 12.6 MB, near what a Kafka broker is usually set to accept. */
    public static final int MAX_BATCH_SIZE = 4096;

    /** An upper bound that catches a mistyped count (10 000 epochs of CIFAR-10 is half a billion steps at batch 1). */
    public static final int MAX_EPOCHS = 10_000;

    /** The {@code dataset} value that selects the bundled SYNCIFAR v1 data. */
    public static final String SYNTHETIC = "synthetic";

    public static final int DEFAULT_BATCH_SIZE = 1;
    public static final int DEFAULT_EPOCHS = 1;

    /** All fields omitted: every default. */
    public static RunSpec defaults() {
        return new RunSpec(null, null, null, null, null, null, null);
    }

    /**
     * Reads a spec as a user sent it: malformed JSON, an unknown field (at any depth) or a value of
     * the wrong JSON type is a {@link MalformedRecordException}. Ranges are {@link #validate()}'s job.
     */
    public static RunSpec parse(String json) {
        return Json.readStrict(json, RunSpec.class);
    }

    public String toJson() {
        return Json.write(this);
    }

    /**
     * Everything wrong with this spec, one message per problem, each starting with the field's path
     * ("batchSize: must be 1..4096, got 0"); empty when the trainer can run it.
     */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        if (optimizer != null) problems.addAll(optimizer.problems());
        if (batchSize != null && (batchSize < 1 || batchSize > MAX_BATCH_SIZE)) {
            problems.add("batchSize: must be 1.." + MAX_BATCH_SIZE + ", got " + batchSize);
        }
        if (epochs != null && epochs < 1) problems.add("epochs: must be >= 1, got " + epochs);
        if (epochs != null && epochs > MAX_EPOCHS) problems.add("epochs: must be <= " + MAX_EPOCHS + ", got " + epochs);
        if (snapshotEvery != null && snapshotEvery < 1) problems.add("snapshotEvery: must be >= 1, got " + snapshotEvery);
        if (onBadBatch != null && !onBadBatch.equals(FAIL) && !onBadBatch.equals(SKIP)) {
            problems.add("onBadBatch: must be \"" + FAIL + "\" or \"" + SKIP + "\", got " + Json.quote(onBadBatch));
        }
        if (dataset != null && !dataset.equals(SYNTHETIC) && !isPath(dataset)) {
            problems.add("dataset: must be \"" + SYNTHETIC + "\" or a path, got " + Json.quote(dataset));
        }
        return problems;
    }

    /** Whether it can name a file: not blank, no control characters. Whether it exists is the data-loader's to say. */
    private static boolean isPath(String s) {
        return !s.isBlank() && s.chars().noneMatch(Character::isISOControl);
    }
}
