package io.backstream.trainer.train;

/**
 * One optimisation step: its loss (taken before the update, the value backward ran on) and speed.
 *
 * @param epoch 1-based
 * @param step 1-based over the whole run
 * @param stepInEpoch 1-based within the epoch
 * @param stepsInEpoch how many steps this epoch has
 */
public record StepResult(int epoch, long step, int stepInEpoch, int stepsInEpoch, double loss, int batchSize,
                         double imagesPerSecond) {}
