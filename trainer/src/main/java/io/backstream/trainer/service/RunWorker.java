package io.backstream.trainer.service;

import io.backstream.events.Batch;
import io.backstream.events.BatchCodec;
import io.backstream.events.DeadLetter;
import io.backstream.events.EpochSummary;
import io.backstream.events.KafkaConnection;
import io.backstream.events.MalformedRecordException;
import io.backstream.events.RunCommand;
import io.backstream.events.RunProgress;
import io.backstream.events.RunState;
import io.backstream.events.SnapshotMetadata;
import io.backstream.events.StepLoss;
import io.backstream.events.Topics;
import io.backstream.trainer.train.TrainingStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * The thread that trains one run, exactly once. It reads the run's batches from its own position,
 * trains each in order, and publishes each step's records (loss, epoch summary, snapshot, state) in
 * the trainer's transactions ({@link TrainerLog}); every commit carries the run's position
 * ({@code RunProgress}) and, every {@code checkpointInterval} and when the run ends, a
 * {@link Checkpoint}.
 *
 * <p>Recovery, after a crash or an aborted transaction, is one path: restore the last committed
 * checkpoint (weights, optimizer buffers, counters, input offset), then <em>replay</em> the batches
 * from there up to the last committed step without publishing anything — the engine is
 * deterministic, so the weights come out bit-identical — and carry on publishing from the next step.
 * Duplicate batches (a restarted loader re-sends some) are skipped by their (epoch, index); records
 * dealt with in a committed transaction without a step (dead-lettered, say) are not read again, as
 * every commit also carries the offset after the last record dealt with.
 */
final class RunWorker implements Runnable, TrainerLog.Participant {
    private static final Logger LOG = Logger.getLogger(RunWorker.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** Records a run may hold back while a commit holds the log; past this it waits (memory stays bounded). */
    private static final int MAX_DEFERRED = 512;

    private final Run run;
    private final TrainerLog log;
    private final KafkaConnection kafka;
    private final long checkpointIntervalNanos;
    private final Thread thread;
    private final CompletableFuture<Void> created = new CompletableFuture<>();

    // what the committed log holds for this run; guarded by this
    private Checkpoint committedCheckpoint;
    private long committedStep;
    private long committedOffset; // after the last record dealt with; 0: nothing beyond the checkpoint's offset
    private long committedDeadLetters;
    // published in the open transaction, not committed yet
    private RunProgress published;
    private Checkpoint publishedCheckpoint;
    private RunProgress committing;
    private boolean rollback;
    private long generation;

    private BatchSource source;
    private long nextOffset;
    private long lastCheckpointAt;
    private final StepClock clock = new StepClock();
    private Runnable onEnd = () -> { };
    // records not sent yet because a commit held the log (see TrainerLog.tryPublish); the worker's thread only
    private List<ProducerRecord<String, byte[]>> deferred = new ArrayList<>();
    private Checkpoint deferredCheckpoint;

    /** A new run: its first transaction writes the initial checkpoint, PENDING and START. */
    static RunWorker create(Run run, TrainerLog log, KafkaConnection kafka, Duration checkpointInterval) {
        return new RunWorker(run, log, kafka, checkpointInterval, null, null);
    }

    /**
     * A run that was training when the trainer stopped: it resumes from {@code checkpoint}, replaying
     * to the step of {@code progress}, its last committed position (null: the checkpoint's).
     */
    static RunWorker recover(Run run, TrainerLog log, KafkaConnection kafka, Duration checkpointInterval, Checkpoint checkpoint,
                             RunProgress progress) {
        return new RunWorker(run, log, kafka, checkpointInterval, checkpoint, progress);
    }

    private RunWorker(Run run, TrainerLog log, KafkaConnection kafka, Duration checkpointInterval, Checkpoint checkpoint,
                      RunProgress progress) {
        this.run = run;
        this.log = log;
        this.kafka = kafka;
        this.checkpointIntervalNanos = checkpointInterval.toNanos();
        this.committedCheckpoint = checkpoint;
        if (checkpoint != null) run.replayFrom(checkpoint.partition(), checkpoint.nextOffset());
        if (progress != null) committedAt(progress);
        else if (checkpoint != null) committedStep = checkpoint.step();
        this.rollback = checkpoint != null;
        this.generation = log.generation();
        this.thread = new Thread(this, "trainer-" + run.id());
        thread.setDaemon(true);
    }

    /** Runs when the worker's thread ends, however it ends. */
    void onEnd(Runnable action) {
        this.onEnd = action;
    }

    void start() {
        log.join(this);
        thread.start();
    }

    /** Waits until a new run's first transaction is committed. */
    void awaitCreated(Duration timeout) throws Exception {
        created.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public String runId() {
        return run.id();
    }

    @Override
    public void run() {
        try (BatchSource src = new BatchSource(kafka, run.id())) {
            source = src;
            if (committedCheckpoint == null && !begin()) return;
            train();
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: worker failed", run.id());
            created.completeExceptionally(e);
        } finally {
            LOG.infof("%s: worker ends, %s; the trainer's log so far: %s", run.id(), clock.summary(), log.commitSummary());
            log.leave(this);
            onEnd.run();
            LOG.debugf("worker of %s ends: %s", run.id(), run.state().state());
        }
    }

    /** The new run's first transaction; false if it could not be committed. */
    private boolean begin() {
        nextOffset = source.endOffset();
        source.seek(nextOffset); // not the consumer's lazy "latest": the loader may publish before the first poll
        Checkpoint initial = checkpoint();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        records.add(checkpointRecord(initial));
        records.add(stateRecord(run.state()));
        records.add(record(Topics.RUNS_CONTROL, TrainerLog.utf8(RunCommand.start(run.id(), run.settings().spec(), run.createdAt()).toJson())));
        publish(records, initial);
        if (!log.commit()) {
            created.completeExceptionally(new IllegalStateException("the run's first transaction was aborted"));
            return false;
        }
        lastCheckpointAt = System.nanoTime();
        created.complete(null);
        return true;
    }

    private void train() {
        while (true) {
            if (takeRollback()) restoreAndReplay();
            if (run.isFinal()) {
                finish();
                return;
            }
            if (run.isPaused()) {
                commitPausePoint();
                run.awaitNotPaused(POLL);
                continue;
            }
            long polling = clock.start();
            List<ConsumerRecord<String, byte[]>> polled = source.poll(Duration.ZERO);
            if (polled.isEmpty()) {
                // about to wait: what is held back goes out first, or its progress (the loader's window) would wait too
                flushDeferred();
                polled = source.poll(POLL);
            }
            clock.stop(StepClock.Phase.WAIT_FOR_BATCHES, polling);
            run.inputLag(source.lag());
            for (ConsumerRecord<String, byte[]> r : polled) {
                // after a rollback the rest is read again from the restored offset; after a stop, not at all
                if (rollbackPending() || run.isFinal()) break;
                if (!live(r)) return;
            }
        }
    }

    /** One record while training live; false once the run has ended (completed or failed, committed). */
    private boolean live(ConsumerRecord<String, byte[]> r) {
        long after = r.offset() + 1;
        Intake in = intake(r);
        switch (in.kind()) {
            case OTHER_RUN -> {
                nextOffset = after;
                return true;
            }
            case REFUSED -> {
                nextOffset = after;
                return deadLetter(r, in.refusal());
            }
            case DUPLICATE -> {
                nextOffset = after;
                LOG.debugf("%s: skipping epoch %d batch %d, already trained", run.id(), in.batch().epoch(), in.batch().index());
                return true;
            }
            case AHEAD -> {
                return fail("batches are missing: got epoch " + in.batch().epoch() + " batch " + in.batch().index()
                        + " after step " + run.trainer().step(), null);
            }
            case NEXT -> { }
        }
        Batch batch = in.batch();
        BatchTrainer trainer = run.trainer();
        if (!beginStep()) return true; // stopped meanwhile, or rolled back: the loop deals with it
        try {
            BatchTrainer.Trained t;
            long training = clock.start();
            try {
                t = trainer.train(batch);
                clock.stepped();
            } catch (TrainingStep.NonFiniteLossException e) {
                return fail("training diverged: loss is " + e.loss() + " at epoch " + batch.epoch() + ", step " + (trainer.step() + 1)
                        + " (the step was not applied; try a smaller learning rate)", e.loss());
            }
            nextOffset = after;
            clock.stop(StepClock.Phase.TRAIN, training);
            long publishing = clock.start();
            boolean more = publishStep(batch, t);
            clock.stop(StepClock.Phase.PUBLISH, publishing);
            return more;
        } finally {
            run.stepDone();
        }
    }

    /**
     * True once the next batch may be trained; false if the run ended meanwhile or must roll back.
     * While the run is paused, the pause point is committed first — every step trained so far,
     * records held back by a busy log included — then the worker waits, as it does between polls:
     * a pause landing among a poll's records must not leave steps unpublished for as long as it lasts
     * (a restart meanwhile would then go back to the last commit, behind the paused state's step).
     */
    private boolean beginStep() {
        while (true) {
            switch (run.beginStep()) {
                case STEP -> {
                    return true;
                }
                case ENDED -> {
                    return false;
                }
                case PAUSED -> {
                    commitPausePoint();
                    if (rollbackPending() || Thread.currentThread().isInterrupted()) return false;
                    run.awaitNotPaused(POLL);
                }
            }
        }
    }

    /** Before a paused run's worker waits: what it holds back goes out, and everything so far is committed. */
    private void commitPausePoint() {
        flushDeferred();
        log.commit();
    }

    /**
     * Sends a refused record to the dead letters with the reason and where it is, and counts it; then
     * the run's policy: skip it, or fail naming it. False if the run ended.
     */
    private boolean deadLetter(ConsumerRecord<String, byte[]> r, String reason) {
        LOG.warnf("dead-lettering %s-%d@%d (key %s): %s", r.topic(), r.partition(), r.offset(), r.key(), reason);
        DeadLetter letter = new DeadLetter(reason, r.topic(), r.partition(), r.offset(), r.key(), System.currentTimeMillis());
        run.deadLettered();
        publish(List.of(record(Topics.TRAINING_DEADLETTER, TrainerLog.utf8(letter.toJson()))), null);
        if (run.settings().skipsBadBatches()) return true;
        return fail("bad batch record " + r.topic() + "-" + r.partition() + "@" + r.offset() + ": " + reason
                + " (onBadBatch is \"fail\"; \"skip\" skips such records, counting them)", null);
    }

    /** What a record of the run's partition is to this run, live or in a replay alike. */
    private record Intake(Kind kind, Batch batch, String refusal) {
        enum Kind {
            /** another run's record (runs share partitions) */
            OTHER_RUN,
            /** malformed, or a batch the run cannot take: {@code refusal} says why */
            REFUSED,
            /** trained already (a restarted loader sends some batches twice) */
            DUPLICATE,
            /** later than the next batch: some are missing */
            AHEAD,
            /** the batch to train next */
            NEXT
        }
    }

    private Intake intake(ConsumerRecord<String, byte[]> r) {
        if (!run.id().equals(r.key())) return new Intake(Intake.Kind.OTHER_RUN, null, null);
        Batch batch;
        try {
            batch = BatchCodec.decode(r.value());
            check(batch);
        } catch (MalformedRecordException | RejectedBatchException e) {
            return new Intake(Intake.Kind.REFUSED, null, e.getMessage());
        }
        Intake.Kind kind = switch (run.trainer().position(batch)) {
            case NEXT -> Intake.Kind.NEXT;
            case AHEAD -> Intake.Kind.AHEAD;
            case DUPLICATE -> Intake.Kind.DUPLICATE;
        };
        return new Intake(kind, batch, null);
    }

    /** Publishes a trained step; false if it completed the run. */
    private boolean publishStep(Batch batch, BatchTrainer.Trained t) {
        RunSettings settings = run.settings();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        RunState running = run.stepped(t.epoch(), t.step(), t.loss(), t.imagesPerSecond());
        if (running != null) records.add(stateRecord(running));
        long now = System.currentTimeMillis();
        records.add(record(Topics.TRAINING_LOSS, TrainerLog.utf8(new StepLoss(run.id(), t.epoch(), t.step(), t.loss(),
                settings.optimizerName(), run.trainer().lr(), settings.batchSize(), t.imagesPerSecond(), now).toJson())));
        BatchTrainer.EpochTotals end = t.epochEnd();
        if (end != null) {
            records.add(record(Topics.TRAINING_LOSS, TrainerLog.utf8(new EpochSummary(run.id(), end.epoch(), end.steps(),
                    end.runningLoss(), end.meanLoss(), end.imagesPerSecond(), now).toJson())));
        }
        Long every = settings.spec().snapshotEvery();
        if (end != null || (every != null && t.step() % every == 0)) {
            Map<String, byte[]> headers = new java.util.LinkedHashMap<>(new SnapshotMetadata(run.id(), t.step(), t.epoch()).toHeaders());
            headers.put(Events.DATASET_HEADER, TrainerLog.utf8(settings.spec().dataset()));
            records.add(TrainerLog.record(Topics.MODEL_SNAPSHOTS, run.id(), run.trainer().onnx(), headers));
        }
        boolean last = end != null && batch.epoch() == settings.epochs();
        RunState completed = last ? run.complete() : null;
        if (completed != null) records.add(stateRecord(completed));
        Checkpoint ck = null;
        if (last || System.nanoTime() - lastCheckpointAt >= checkpointIntervalNanos) {
            ck = checkpoint();
            records.add(checkpointRecord(ck));
            lastCheckpointAt = System.nanoTime();
        }
        publish(records, ck, !last);
        if (last) {
            log.commit();
            return false;
        }
        return true;
    }

    /** FAILED with the reason, the last good state checkpointed, committed; returns false (the run ended). */
    private boolean fail(String reason, Double loss) {
        RunState failed = run.fail(reason, loss);
        if (failed == null) { // it was stopped meanwhile: end as a stopped run does
            finish();
            return false;
        }
        LOG.warnf("%s FAILED: %s", run.id(), reason);
        // the last good state becomes the run's checkpoint; weights already broken keep the previous one
        Checkpoint ck = run.trainer().weightsFinite() ? checkpoint() : null;
        publish(ck == null ? List.of(stateRecord(failed)) : List.of(stateRecord(failed), checkpointRecord(ck)), ck);
        if (ck == null) backToLatestCheckpoint(); // after the position to commit was taken: it stays the last step's
        log.commit();
        return false;
    }

    /**
     * Puts the weights back to the run's latest checkpoint (the one the failing transaction commits
     * with, or the committed one), so {@code model.onnx} serves the last good weights, as a restarted
     * trainer would.
     */
    private void backToLatestCheckpoint() {
        Checkpoint latest;
        synchronized (this) {
            latest = publishedCheckpoint != null ? publishedCheckpoint : committedCheckpoint;
        }
        if (latest != null) run.trainer().restore(latest);
    }

    /** The run was stopped (or failed elsewhere): its final position and weights are committed. */
    private void finish() {
        Checkpoint ck = checkpoint();
        publish(List.of(checkpointRecord(ck)), ck);
        log.commit();
    }

    /**
     * Puts the run back to the last commit: restore the checkpoint, replay silently up to the committed
     * step, then go on after the last record a commit dealt with (records the replay skips — refused,
     * duplicates, other runs' — were dealt with when first read).
     */
    private void restoreAndReplay() {
        Checkpoint ck;
        long target;
        long committedAfter;
        long deadLetters;
        synchronized (this) {
            ck = committedCheckpoint;
            target = committedStep;
            committedAfter = committedOffset;
            deadLetters = committedDeadLetters;
        }
        dropDeferred();
        BatchTrainer trainer = run.trainer();
        trainer.restore(ck);
        source.seek(ck.nextOffset());
        nextOffset = ck.nextOffset();
        lastCheckpointAt = System.nanoTime();
        long replayed = 0;
        while (trainer.step() < target) {
            for (ConsumerRecord<String, byte[]> r : source.poll(POLL)) {
                if (trainer.step() >= target) break;
                nextOffset = r.offset() + 1;
                Intake in = intake(r);
                if (in.kind() != Intake.Kind.NEXT) continue;
                trainer.train(in.batch());
                replayed++;
            }
        }
        // records polled past the target are read again from here, or from after the last one a commit dealt with
        nextOffset = Math.max(nextOffset, committedAfter);
        source.seek(nextOffset);
        StepCounters k = trainer.counters();
        run.restored(k.lastEpoch(), k.step(), deadLetters);
        LOG.infof("%s: restored step %d from its checkpoint, replayed %d step(s) to the committed step %d",
                run.id(), ck.step(), replayed, target);
    }

    private void check(Batch batch) {
        RunSettings s = run.settings();
        if (batch.epoch() < 1 || batch.epoch() > s.epochs()) {
            throw new RejectedBatchException("epoch " + batch.epoch() + " outside the run's 1.." + s.epochs());
        }
        if (batch.count() > s.batchSize()) {
            throw new RejectedBatchException("count " + batch.count() + " above the run's batchSize " + s.batchSize());
        }
    }

    private Checkpoint checkpoint() {
        BatchTrainer t = run.trainer();
        return new Checkpoint(run.id(), run.settings().spec(), run.createdAt(), t.counters(), source.partition(), nextOffset,
                t.weights(), t.optimizerState());
    }

    /** Sends records in the open transaction (after any deferred ones), waiting out a commit. */
    private void publish(List<ProducerRecord<String, byte[]>> records, Checkpoint ck) {
        publish(records, ck, false);
    }

    /**
     * Sends records in the open transaction, after any deferred ones, moving the position to commit
     * with them; on a stale generation, marks a rollback. With {@code mayDefer}, if a commit holds
     * the log the records wait in {@link #deferred} for the next publish instead (a bounded number:
     * past {@link #MAX_DEFERRED} records the worker waits).
     */
    private void publish(List<ProducerRecord<String, byte[]>> records, Checkpoint ck, boolean mayDefer) {
        deferred.addAll(records);
        if (ck != null) deferredCheckpoint = ck;
        long gen;
        synchronized (this) {
            gen = generation;
        }
        Checkpoint sentCheckpoint = deferredCheckpoint;
        Runnable moveProgress = () -> {
            synchronized (this) {
                StepCounters k = run.trainer().counters();
                Checkpoint latest = sentCheckpoint != null ? sentCheckpoint : publishedCheckpoint != null ? publishedCheckpoint : committedCheckpoint;
                long ckStep = latest == null ? 0 : latest.step();
                published = new RunProgress(run.id(), k.step(), k.lastEpoch(), Math.max(0, k.lastIndex()), k.lastBatches(),
                        ckStep, System.currentTimeMillis(), nextOffset, run.deadLetters());
                if (sentCheckpoint != null) publishedCheckpoint = sentCheckpoint;
            }
        };
        TrainerLog.Sent sent = mayDefer && deferred.size() < MAX_DEFERRED
                ? log.tryPublish(gen, deferred, moveProgress)
                : log.publish(gen, deferred, moveProgress);
        if (sent == TrainerLog.Sent.BUSY) return;
        dropDeferred();
        if (sent == TrainerLog.Sent.STALE) {
            synchronized (this) {
                rollback = true;
            }
        }
    }

    /** Sends what a commit held back, waiting for the log if need be. */
    private void flushDeferred() {
        if (!deferred.isEmpty()) publish(List.of(), null, false);
    }

    /** Forgets records not sent: after sending them, or on a rollback (their steps are replayed silently). */
    private void dropDeferred() {
        deferred = new ArrayList<>();
        deferredCheckpoint = null;
    }

    @Override
    public synchronized byte[] progressToCommit() {
        committing = published;
        published = null;
        return committing == null ? null : TrainerLog.utf8(committing.toJson());
    }

    @Override
    public synchronized void committed() {
        if (committing != null) committedAt(committing);
        if (publishedCheckpoint != null) {
            committedCheckpoint = publishedCheckpoint;
            run.replayFrom(committedCheckpoint.partition(), committedCheckpoint.nextOffset());
        }
        committing = null;
        publishedCheckpoint = null;
    }

    private synchronized void committedAt(RunProgress p) {
        committedStep = p.step();
        committedOffset = p.nextOffset() == null ? 0 : p.nextOffset();
        committedDeadLetters = p.deadLetterCount();
    }

    @Override
    public synchronized void aborted() {
        published = null;
        publishedCheckpoint = null;
        committing = null;
        rollback = true;
        generation = log.generation();
    }

    private synchronized boolean rollbackPending() {
        return rollback;
    }

    private synchronized boolean takeRollback() {
        boolean r = rollback;
        rollback = false;
        generation = log.generation();
        return r;
    }

    private ProducerRecord<String, byte[]> record(String topic, byte[] value) {
        return new ProducerRecord<>(topic, run.id(), value);
    }

    private ProducerRecord<String, byte[]> stateRecord(RunState state) {
        return record(Topics.RUNS_STATE, TrainerLog.utf8(state.toJson()));
    }

    private ProducerRecord<String, byte[]> checkpointRecord(Checkpoint ck) {
        return record(Topics.RUNS_CHECKPOINTS, ck.toBytes());
    }
}
