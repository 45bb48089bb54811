package io.backstream.events;

import java.util.List;

/**
 * The Kafka topics of a Backstream deployment, the one place their names are spelt. Each line says
 * what a value is and what the key is; keys are UTF-8 strings everywhere, so records of one run stay
 * in one partition and in order.
 */
public final class Topics {

    /** {@link StepLoss} and {@link EpochSummary} as JSON, told apart by {@code type} ("step" | "epoch"); key = runId. */
    public static final String TRAINING_LOSS = "training.loss";

    /** {@link EvaluationResult} as JSON; key = runId. */
    public static final String EVALUATION_RESULTS = "evaluation.results";

    /** Training batches in the binary {@link BatchCodec} format; key = runId. */
    public static final String TRAINING_BATCHES = "training.batches";

    /** Test-set chunks in the {@link BatchCodec} format (runId = dataset id, epoch 0); key = dataset id. */
    public static final String DATASET_TESTSET = "dataset.testset";

    /** Model snapshots: the value is ONNX bytes, metadata is in {@link SnapshotHeaders}; key = runId. */
    public static final String MODEL_SNAPSHOTS = "model.snapshots";

    /** {@link RunCommand} as JSON (START, PAUSE, RESUME, STOP); key = runId. */
    public static final String RUNS_CONTROL = "runs.control";

    /** {@link RunState} as JSON, compacted so the latest state of every run survives; key = runId. */
    public static final String RUNS_STATE = "runs.state";

    /**
     * {@link RunProgress} as JSON, compacted: the trainer writes one in every transaction it commits,
     * so the latest per run is the run's committed position (the loader's back-pressure reads it);
     * key = runId.
     */
    public static final String RUNS_PROGRESS = "runs.progress";

    /**
     * The trainer's checkpoints (a run's spec, weights, every optimizer buffer, counters and input
     * offset; binary, see the trainer's {@code Checkpoint}), compacted so the latest per run is kept;
     * key = runId. Written in the same transactions as the run's loss events.
     */
    public static final String RUNS_CHECKPOINTS = "runs.checkpoints";

    /** {@link DeadLetter} as JSON: a record some service rejected, why, and where it came from; key = the rejected record's key. */
    public static final String TRAINING_DEADLETTER = "training.deadletter";

    /** Every topic above, for tools that create or check them. */
    public static final List<String> ALL = List.of(
            TRAINING_LOSS, EVALUATION_RESULTS, TRAINING_BATCHES, DATASET_TESTSET,
            MODEL_SNAPSHOTS, RUNS_CONTROL, RUNS_STATE, RUNS_PROGRESS, RUNS_CHECKPOINTS, TRAINING_DEADLETTER);

    private Topics() {}
}
