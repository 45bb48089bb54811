package io.backstream.trainer.service;

import io.backstream.events.RunState;
import io.backstream.events.RunState.State;
import java.util.function.Supplier;

/**
 * One run's lifecycle: PENDING → RUNNING ⇄ PAUSED → STOPPED | COMPLETED | FAILED, with its progress
 * (epoch, step, last loss, speed). Every change returns the {@link RunState} to publish, or null when
 * nothing changed. The worker waits here while the run is paused.
 */
final class Run {
    private final String id;
    private final RunSettings settings;
    private Supplier<BatchTrainer> trainer; // guarded by this
    private BatchTrainer built; // guarded by this: the trainer once asked for
    private final long createdAt;
    private State state = State.PENDING;
    private int epoch;
    private long step;
    private Double lastLoss;
    private double imagesPerSecond;
    private String reason;
    private long updatedAt;
    private long deadLetters;
    private volatile long inputLag = -1;
    private volatile Replay replayFrom;

    /** Where in training.batches a run reads again after a restart or an aborted commit: its committed checkpoint's position. */
    record Replay(int partition, long offset) {}

    Run(String id, RunSettings settings, BatchTrainer trainer) {
        this(id, settings, () -> trainer, System.currentTimeMillis());
    }

    private Run(String id, RunSettings settings, Supplier<BatchTrainer> trainer, long createdAt) {
        this.id = id;
        this.settings = settings;
        this.trainer = trainer;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    /**
     * A run read back from Kafka after a restart: its latest published state, its counters from its
     * checkpoint, its dead-letter count from its last committed progress. {@code trainer} is called
     * once, when the trainer is first needed: a run that has ended builds its model only if its
     * weights are asked for, so a restart with many finished runs neither waits for nor holds them.
     */
    static Run recovered(RunState latest, RunSettings settings, Supplier<BatchTrainer> trainer, long createdAt, long deadLetters) {
        Run run = new Run(latest.runId(), settings, trainer, createdAt);
        run.deadLetters = deadLetters;
        run.state = latest.state();
        run.epoch = latest.epoch();
        run.step = latest.step();
        run.lastLoss = latest.lastLoss();
        run.reason = latest.reason();
        run.updatedAt = latest.updatedAt();
        return run;
    }

    String id() {
        return id;
    }

    RunSettings settings() {
        return settings;
    }

    synchronized BatchTrainer trainer() {
        if (built == null) built = trainer.get();
        return built;
    }

    /**
     * Drops the trainer of a run that has ended (its model, optimizer state and buffers: megabytes,
     * held for nothing once nobody trains it); {@code readBack} builds it again if its weights are
     * asked for.
     */
    synchronized void release(Supplier<BatchTrainer> readBack) {
        if (!state.isFinal()) throw new IllegalStateException(id + " is " + state + ": only a run that has ended lets go of its trainer");
        trainer = readBack;
        built = null;
    }

    long createdAt() {
        return createdAt;
    }

    /** Where the run would read its batches again from ({@link BatchPurge} keeps them), or null before its first commit. */
    Replay replayFrom() {
        return replayFrom;
    }

    void replayFrom(int partition, long offset) {
        replayFrom = new Replay(partition, offset);
    }

    /** Records of the run's input partition not read yet, as of its last poll; -1 before the first. */
    long inputLag() {
        return inputLag;
    }

    void inputLag(long records) {
        inputLag = records;
    }

    /** A step at batch size 4,096 takes seconds; pause and stop wait at most this long for it. */
    private static final long STEP_WAIT_NANOS = 30_000_000_000L;
    /** True while the worker trains a batch: pause and stop wait for it to finish. */
    private boolean stepInFlight;

    synchronized RunState state() {
        return new RunState(id, state, settings.spec(), epoch, step, lastLoss, imagesPerSecond, reason, updatedAt);
    }

    synchronized boolean isFinal() {
        return state.isFinal();
    }

    /** PAUSED; answers once a step in flight has finished, so the step it reports is where the run stays. */
    synchronized RunState pause() {
        if (state != State.PENDING && state != State.RUNNING) throw conflict("pause");
        change(State.PAUSED, null);
        awaitNoStepInFlight();
        return state();
    }

    synchronized RunState resume() {
        if (state != State.PAUSED) throw conflict("resume");
        return change(State.RUNNING, null);
    }

    /** STOPPED; answers once a step in flight has finished (no step follows a stop). */
    synchronized RunState stop() {
        if (state.isFinal()) throw conflict("stop");
        change(State.STOPPED, "stopped by request");
        awaitNoStepInFlight();
        return state();
    }

    synchronized boolean isPaused() {
        return state == State.PAUSED;
    }

    /** Waits up to {@code timeout} while the run is paused. */
    synchronized void awaitNotPaused(java.time.Duration timeout) {
        if (state != State.PAUSED) return;
        try {
            wait(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The worker put the run back to its last commit: a checkpoint replayed to this step (not a new
     * step: nothing to publish), and the dead letters committed by then.
     */
    synchronized void restored(int epoch, long step, long deadLetters) {
        this.epoch = epoch;
        this.step = step;
        this.deadLetters = deadLetters;
    }

    /** How many of the run's batch records were refused onto the dead-letter topic. */
    synchronized long deadLetters() {
        return deadLetters;
    }

    /** One more batch record was refused (published in the open transaction). */
    synchronized void deadLettered() {
        deadLetters++;
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

    /** What {@link #beginStep()} found. */
    enum Begin {
        /** a batch may be trained: the worker owns a step in flight until {@link #stepDone()} */
        STEP,
        /** paused: nothing may be trained until it is resumed */
        PAUSED,
        /** the run has ended */
        ENDED
    }

    /** Begins a step if the run may train; does not wait (a paused run's worker commits first, then waits). */
    synchronized Begin beginStep() {
        if (state == State.PAUSED) return Begin.PAUSED;
        if (state.isFinal()) return Begin.ENDED;
        stepInFlight = true;
        return Begin.STEP;
    }

    /** The worker finished (or abandoned) the step it began with {@link #beginStep()}. */
    synchronized void stepDone() {
        stepInFlight = false;
        notifyAll();
    }

    private void awaitNoStepInFlight() {
        long deadline = System.nanoTime() + STEP_WAIT_NANOS;
        try {
            for (long left = STEP_WAIT_NANOS; stepInFlight && left > 0; left = deadline - System.nanoTime()) {
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // answer with the state as it is
        }
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
