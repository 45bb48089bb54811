package io.backstream.evaluator.service;

import ai.onnxruntime.OrtException;
import io.backstream.evaluator.OnnxScorer;
import io.backstream.evaluator.Score;
import io.backstream.events.EvaluationResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Scores a snapshot on a test set with {@link OnnxScorer}. One scoring at a time (each already uses
 * {@code intra-op-threads} cores), so the test-set and snapshot consumers never run two sessions
 * against each other. Blocking: call it off the event loop.
 */
@ApplicationScoped
public class SnapshotScorer {

    private final int threads;
    private final Counter scored;
    private final Timer timer;
    private final ReentrantLock oneAtATime = new ReentrantLock();

    public SnapshotScorer(@ConfigProperty(name = "backstream.evaluator.intra-op-threads", defaultValue = "2") int threads,
                          MeterRegistry registry) {
        this.threads = threads;
        this.scored = Counter.builder("backstream.evaluator.snapshots.scored").description("snapshots scored").register(registry);
        this.timer = Timer.builder("backstream.evaluator.scoring").description("time to load and score one snapshot")
                .register(registry);
    }

    public EvaluationResult score(Snapshot s, TestSet t) throws UnscorableSnapshotException {
        oneAtATime.lock();
        try {
            long start = System.nanoTime();
            Score score = run(s, t);
            timer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            scored.increment();
            return new EvaluationResult(s.runId(), s.meta().step(), s.meta().epoch(), score.accuracy(), score.loss(),
                    Arrays.stream(score.perClassAccuracy()).boxed().toList(), score.count(), System.currentTimeMillis());
        } finally {
            oneAtATime.unlock();
        }
    }

    private Score run(Snapshot s, TestSet t) throws UnscorableSnapshotException {
        OnnxScorer scorer;
        try {
            scorer = new OnnxScorer(s.onnx(), threads);
        } catch (OrtException | RuntimeException e) {
            throw new UnscorableSnapshotException("cannot load the ONNX model of run " + s.runId() + " step " + s.meta().step()
                    + " (" + s.onnx().length + " bytes): " + e.getMessage(), e);
        }
        try (scorer) {
            return scorer.score(t.pixels(), t.labels());
        } catch (OrtException | RuntimeException e) {
            throw new UnscorableSnapshotException("cannot score run " + s.runId() + " step " + s.meta().step()
                    + " on test set " + t.datasetId() + ": " + e.getMessage(), e);
        }
    }
}
