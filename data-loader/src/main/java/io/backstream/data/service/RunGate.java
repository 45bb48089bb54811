package io.backstream.data.service;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One run's permission to publish: the trainer's progress (back-pressure window), PAUSE/RESUME and
 * the end of the run. The publisher thread sleeps on {@link #awaitTurn} until something changes;
 * the consumers of runs.control, runs.progress and runs.state change it. No polling.
 */
final class RunGate {

    private final String runId;
    private final int window;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long trainerStep;
    private boolean paused;
    private String stoppedBecause;

    RunGate(String runId, int window) {
        if (window < 1) throw new IllegalArgumentException("backstream.loader.window: must be >= 1, got " + window);
        this.runId = runId;
        this.window = window;
    }

    String runId() {
        return runId;
    }

    /** The trainer committed global step {@code step} (1-based); older reports change nothing. */
    void progress(long step) {
        lock.lock();
        try {
            if (step > trainerStep) {
                trainerStep = step;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    void pause() {
        setPaused(true);
    }

    void resume() {
        setPaused(false);
    }

    /** Ends publishing for good (STOP, a final run state, shutdown); the first reason is kept. */
    void stop(String reason) {
        lock.lock();
        try {
            if (stoppedBecause == null) stoppedBecause = reason;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether batch {@code n} (1-based over the run) may go now, without waiting. */
    boolean mayPublish(long n) {
        lock.lock();
        try {
            return stoppedBecause == null && !paused && n <= trainerStep + window;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until batch {@code n} (1-based over the run, so the trainer reports step n after
     * training it) is at most {@code window} beyond the trainer's last step and the run is not
     * paused. Returns false when the run was stopped instead.
     */
    boolean awaitTurn(long n) throws InterruptedException {
        lock.lock();
        try {
            while (stoppedBecause == null && (paused || n > trainerStep + window)) {
                changed.await();
            }
            return stoppedBecause == null;
        } finally {
            lock.unlock();
        }
    }

    boolean isPaused() {
        lock.lock();
        try {
            return paused;
        } finally {
            lock.unlock();
        }
    }

    boolean isStopped() {
        return stoppedReason() != null;
    }

    /** Why the run stopped, or null while it may still publish. */
    String stoppedReason() {
        lock.lock();
        try {
            return stoppedBecause;
        } finally {
            lock.unlock();
        }
    }

    long trainerStep() {
        lock.lock();
        try {
            return trainerStep;
        } finally {
            lock.unlock();
        }
    }

    private void setPaused(boolean value) {
        lock.lock();
        try {
            paused = value;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
