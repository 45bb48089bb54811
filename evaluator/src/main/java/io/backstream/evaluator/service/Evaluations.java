package io.backstream.evaluator.service;

import jakarta.enterprise.context.ApplicationScoped;

/** Scores a snapshot and publishes the result, or dead-letters a snapshot that cannot be scored. */
@ApplicationScoped
public class Evaluations {

    private final SnapshotScorer scorer;
    private final ResultPublisher results;
    private final DeadLetterPublisher deadLetters;

    public Evaluations(SnapshotScorer scorer, ResultPublisher results, DeadLetterPublisher deadLetters) {
        this.scorer = scorer;
        this.results = results;
        this.deadLetters = deadLetters;
    }

    public void evaluate(Snapshot s, TestSet t) {
        try {
            results.publish(scorer.score(s, t));
        } catch (UnscorableSnapshotException e) {
            deadLetters.reject(e.getMessage(), s.source());
        }
    }
}
