package io.backstream.data.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class RunGateTest {

    @Test
    void batchesUpToTheWindowBeyondTheTrainersStepMayGo() {
        RunGate gate = new RunGate("r", 16);
        assertTrue(gate.mayPublish(16));
        assertFalse(gate.mayPublish(17));
        gate.progress(1);
        assertTrue(gate.mayPublish(17));
        assertFalse(gate.mayPublish(18));
        gate.progress(0);   // a late, older report changes nothing
        assertEquals(1, gate.trainerStep());
    }

    @Test
    void aWaitingPublisherWakesOnProgressAndNotBefore() throws Exception {
        RunGate gate = new RunGate("r", 2);
        CompletableFuture<Boolean> turn = CompletableFuture.supplyAsync(() -> await(gate, 4));
        assertThrows(TimeoutException.class, () -> turn.get(200, TimeUnit.MILLISECONDS));
        gate.progress(1);
        assertThrows(TimeoutException.class, () -> turn.get(200, TimeUnit.MILLISECONDS));
        gate.progress(2);
        assertTrue(turn.get(5, TimeUnit.SECONDS));
    }

    @Test
    void pauseHoldsResumeReleasesStopEndsTheWait() throws Exception {
        RunGate gate = new RunGate("r", 16);
        gate.pause();
        assertFalse(gate.mayPublish(1));
        CompletableFuture<Boolean> turn = CompletableFuture.supplyAsync(() -> await(gate, 1));
        assertThrows(TimeoutException.class, () -> turn.get(200, TimeUnit.MILLISECONDS));
        gate.resume();
        assertTrue(turn.get(5, TimeUnit.SECONDS));

        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> await(gate, 100));
        gate.stop("STOP");
        assertFalse(blocked.get(5, TimeUnit.SECONDS), "a stopped run's publisher is told to end");
        assertEquals("STOP", gate.stoppedReason());
        gate.stop("COMPLETED");
        assertEquals("STOP", gate.stoppedReason(), "the first reason stays");
    }

    private static boolean await(RunGate gate, long n) {
        try {
            return gate.awaitTurn(n);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
