package io.backstream.trainer.train;

/** Receives what a {@link TrainingLoop} does, step by step. */
public interface TrainingListener {
    default void onStep(StepResult step) {}

    default void onEpoch(EpochSummary epoch) {}
}
