package io.backstream.trainer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.backstream.events.Batch;
import io.backstream.trainer.service.StepCounters.Position;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("StepCounters: which batch comes next, and what a step adds to the run's and the epoch's totals")
class StepCountersTest {
    private static final int BATCHES = 3; // per epoch

    /** Batch {@code index} of {@code epoch}, with {@code count} images. */
    private static Batch batch(int epoch, int index, int count) {
        return new Batch("run", epoch, index, BATCHES, (long) index * count, count, new byte[count], new byte[count * 3072]);
    }

    @Test
    void aNewRunTakesTheFirstBatchOfEpochOneAndNothingElse() {
        assertEquals(Position.NEXT, StepCounters.START.positionOf(batch(1, 0, 4)));
        assertEquals(Position.AHEAD, StepCounters.START.positionOf(batch(1, 1, 4)));
        assertEquals(Position.AHEAD, StepCounters.START.positionOf(batch(2, 0, 4)));
    }

    @Test
    void afterABatchTheNextIndexIsNextAndTheSameOrAnEarlierOneIsADuplicate() {
        StepCounters c = StepCounters.START.after(batch(1, 0, 4), 2.0, 10);
        assertEquals(Position.NEXT, c.positionOf(batch(1, 1, 4)));
        assertEquals(Position.DUPLICATE, c.positionOf(batch(1, 0, 4)));
        assertEquals(Position.AHEAD, c.positionOf(batch(1, 2, 4)));
    }

    @Test
    void theLastBatchOfAnEpochIsFollowedByTheNextEpochsFirst() {
        StepCounters c = StepCounters.START;
        for (int i = 0; i < BATCHES; i++) c = c.after(batch(1, i, 4), 1.0, 10);
        assertEquals(Position.NEXT, c.positionOf(batch(2, 0, 4)));
        assertEquals(Position.DUPLICATE, c.positionOf(batch(1, 2, 4)));
        assertEquals(Position.AHEAD, c.positionOf(batch(2, 1, 4)));
    }

    @Test
    void aStepCountsOverTheRunAndSumsTheEpochsLossesImagesAndTime() {
        StepCounters c = StepCounters.START.after(batch(1, 0, 4), 2.0, 10).after(batch(1, 1, 4), 1.5, 20);
        assertEquals(new StepCounters(2, 1, 1, BATCHES, 2, 3.5, 8, 30), c);
    }

    @Test
    void aNewEpochStartsItsTotalsAfreshWhileTheStepKeepsCounting() {
        StepCounters c = StepCounters.START;
        for (int i = 0; i < BATCHES; i++) c = c.after(batch(1, i, 4), 1.0, 10);
        c = c.after(batch(2, 0, 2), 0.25, 7);
        assertEquals(new StepCounters(BATCHES + 1, 2, 0, BATCHES, 1, 0.25, 2, 7), c);
    }
}
