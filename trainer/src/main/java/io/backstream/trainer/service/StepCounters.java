package io.backstream.trainer.service;

import io.backstream.events.Batch;

/**
 * Where a run is, besides its weights and optimizer state: its global step, the last batch trained
 * ({@code lastEpoch} 0 before any) and the current epoch's totals so far. Immutable: each step makes
 * the next ({@link #after}), and a {@link Checkpoint} keeps one as it is.
 */
record StepCounters(long step, int lastEpoch, int lastIndex, int lastBatches,
                    int epochSteps, double runningLoss, long epochImages, long epochNanos) {

    /** A run that has trained nothing. */
    static final StepCounters START = new StepCounters(0, 0, -1, 0, 0, 0, 0, 0);

    /** Where a batch falls relative to the last one trained. */
    enum Position {
        /** the batch right after the last one trained */
        NEXT,
        /** later than that: batches are missing */
        AHEAD,
        /** trained already */
        DUPLICATE
    }

    Position positionOf(Batch batch) {
        boolean epochDone = lastEpoch == 0 || lastIndex == lastBatches - 1;
        int nextEpoch = lastEpoch == 0 ? 1 : epochDone ? lastEpoch + 1 : lastEpoch;
        int nextIndex = epochDone ? 0 : lastIndex + 1;
        int vsLast = batch.epoch() != lastEpoch ? Integer.compare(batch.epoch(), lastEpoch) : Integer.compare(batch.index(), lastIndex);
        if (vsLast <= 0) return Position.DUPLICATE;
        return batch.epoch() == nextEpoch && batch.index() == nextIndex ? Position.NEXT : Position.AHEAD;
    }

    /** The counters once {@code batch} is trained with this loss in this time; a new epoch starts its totals afresh. */
    StepCounters after(Batch batch, double loss, long nanos) {
        boolean sameEpoch = batch.epoch() == lastEpoch;
        return new StepCounters(step + 1, batch.epoch(), batch.index(), batch.batches(),
                (sameEpoch ? epochSteps : 0) + 1,
                (sameEpoch ? runningLoss : 0) + loss,
                (sameEpoch ? epochImages : 0) + batch.count(),
                (sameEpoch ? epochNanos : 0) + nanos);
    }
}
