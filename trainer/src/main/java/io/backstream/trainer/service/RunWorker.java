package io.backstream.trainer.service;

import io.backstream.events.Batch;
import io.backstream.events.EpochSummary;
import io.backstream.events.SnapshotMetadata;
import io.backstream.events.StepLoss;
import io.backstream.trainer.train.TrainingStep;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The thread that trains one run: takes its batches from a small bounded queue, in arrival order,
 * one step each, and publishes what every step produced. Waits while the run is paused (other runs
 * have their own workers), and ends with the run.
 */
final class RunWorker implements Runnable {
    private static final Logger LOG = Logger.getLogger(RunWorker.class);

    private final Run run;
    private final Events events;
    private final BlockingQueue<Batch> queue;
    private final Thread thread;

    RunWorker(Run run, Events events, int capacity) {
        this.run = run;
        this.events = events;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this, "trainer-" + run.id());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues a batch without waiting; false when the queue is full. */
    boolean offer(Batch batch) {
        return queue.offer(batch);
    }

    int capacity() {
        return queue.size() + queue.remainingCapacity();
    }

    @Override
    public void run() {
        try {
            while (!run.isFinal()) {
                Batch batch = queue.poll(1, TimeUnit.SECONDS);
                if (batch == null) continue;
                if (!run.awaitTrainable()) break;
                try {
                    train(batch);
                } finally {
                    run.stepDone();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            queue.clear();
            LOG.debugf("worker of %s ends: %s", run.id(), run.state().state());
        }
    }

    private void train(Batch batch) {
        BatchTrainer trainer = run.trainer();
        switch (trainer.position(batch)) {
            case DUPLICATE -> {
                LOG.infof("%s: skipping epoch %d batch %d, already trained", run.id(), batch.epoch(), batch.index());
                return;
            }
            case AHEAD -> LOG.warnf("%s: gap before epoch %d batch %d (after step %d): batches are missing",
                    run.id(), batch.epoch(), batch.index(), trainer.step());
            case NEXT -> { }
        }
        BatchTrainer.Trained t;
        try {
            t = trainer.train(batch);
        } catch (TrainingStep.NonFiniteLossException e) {
            events.state(run.fail("training diverged: loss is " + e.loss() + " at epoch " + batch.epoch() + ", step "
                    + (trainer.step() + 1) + " (the step was not applied; try a smaller learning rate)", e.loss()));
            return;
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: training failed on %s", run.id(), batch);
            events.state(run.fail("training failed at epoch " + batch.epoch() + ", batch " + batch.index() + ": " + e, null));
            return;
        }
        publish(batch, t);
    }

    private void publish(Batch batch, BatchTrainer.Trained t) {
        RunSettings settings = run.settings();
        events.state(run.stepped(t.epoch(), t.step(), t.loss(), t.imagesPerSecond()));
        long now = System.currentTimeMillis();
        events.loss(new StepLoss(run.id(), t.epoch(), t.step(), t.loss(), settings.optimizerName(), run.trainer().lr(),
                settings.batchSize(), t.imagesPerSecond(), now));
        BatchTrainer.EpochTotals end = t.epochEnd();
        if (end != null) {
            events.loss(new EpochSummary(run.id(), end.epoch(), end.steps(), end.runningLoss(), end.meanLoss(),
                    end.imagesPerSecond(), now));
        }
        Long every = settings.spec().snapshotEvery();
        if (end != null || (every != null && t.step() % every == 0)) {
            events.snapshot(new SnapshotMetadata(run.id(), t.step(), t.epoch()), settings.spec().dataset(), run.trainer().onnx());
        }
        if (end != null && batch.epoch() == settings.epochs()) events.state(run.complete());
    }
}
