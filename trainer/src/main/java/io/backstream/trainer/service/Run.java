package io.backstream.trainer.service;

import io.backstream.events.RunState;
import io.backstream.events.RunState.State;

/**
 * One run's lifecycle: PENDING → RUNNING ⇄ PAUSED → STOPPED | COMPLETED | FAILED, with its progress
 * (epoch, step, last loss, speed). Every change returns the {@link RunState} to publish, or null when
 * nothing changed. The worker waits here while the run is paused.
 */
final class Run {
    private final String id;
    private final RunSettings settings;
    private final BatchTrainer trainer;
    private final long createdAt;
    private State state = State.PENDING;
    private int epoch;
    private long step;
    private Double lastLoss;
    private double imagesPerSecond;
    private String reason;
    private long updatedAt;

    Run(String id, RunSettings settings, BatchTrainer trainer) {
        this.id = id;
        this.settings = settings;
        this.trainer = trainer;
        this.createdAt = System.currentTimeMillis();
        this.updatedAt = createdAt;
    }

    String id() {
        return id;
    }

    RunSettings settings() {
        return settings;
    }

    BatchTrainer trainer() {
        return trainer;
    }

    long createdAt() {
        return createdAt;
    }

    synchronized RunState state() {
        return new RunState(id, state, settings.spec(), epoch, step, lastLoss, imagesPerSecond, reason, updatedAt);
    }

    synchronized boolean isFinal() {
        return state.isFinal();
    }

    synchronized RunState pause() {
        if (state != State.PENDING && state != State.RUNNING) throw conflict("pause");
        return change(State.PAUSED, null);
    }

    synchronized RunState resume() {
        if (state != State.PAUSED) throw conflict("resume");
        return change(State.RUNNING, null);
    }

    synchronized RunState stop() {
        if (state.isFinal()) throw conflict("stop");
        return change(State.STOPPED, "stopped by request");
    }

    /** A step was trained; RUNNING if the run was PENDING (the state to publish then, else null). */
    synchronized RunState stepped(int epoch, long step, double loss, double imagesPerSecond) {
        this.epoch = epoch;
        this.step = step;
        this.lastLoss = loss;
        this.imagesPerSecond = imagesPerSecond;
        this.updatedAt = System.currentTimeMillis();
        return state == State.PENDING ? change(State.RUNNING, null) : null;
    }

    /** The last batch of the last epoch was trained: COMPLETED, unless the run already ended. */
    synchronized RunState complete() {
        return state.isFinal() ? null : change(State.COMPLETED, null);
    }

    /** FAILED with the reason, unless the run already ended; {@code loss} is the offending loss, or null. */
    synchronized RunState fail(String why, Double loss) {
        if (state.isFinal()) return null;
        if (loss != null) lastLoss = loss;
        return change(State.FAILED, why);
    }

    /** Waits while the run is paused; true when a batch may be trained, false once the run has ended. */
    synchronized boolean awaitTrainable() throws InterruptedException {
        while (state == State.PAUSED) wait();
        return !state.isFinal();
    }

    private RunState change(State next, String why) {
        state = next;
        reason = why;
        updatedAt = System.currentTimeMillis();
        notifyAll();
        return state();
    }

    private RunConflictException conflict(String action) {
        return new RunConflictException("cannot " + action + " run " + id + ": it is " + state);
    }
}
