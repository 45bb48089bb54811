package io.backstream.trainer.service;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a run's worker spends its wall time: waiting for batches, training, publishing (which waits
 * while a commit holds the log) and everything else. One line at the run's end tells an operator
 * whether the pipeline or the engine is the bottleneck. Used by the worker's thread only.
 */
final class StepClock {
    enum Phase { WAIT_FOR_BATCHES, TRAIN, PUBLISH }

    private final Map<Phase, Long> nanos = new EnumMap<>(Phase.class);
    private final long startedAt = System.nanoTime();
    private long steps;

    /** Starts timing a phase; pass the result to {@link #stop}. */
    long start() {
        return System.nanoTime();
    }

    void stop(Phase phase, long startedAt) {
        nanos.merge(phase, System.nanoTime() - startedAt, Long::sum);
    }

    void stepped() {
        steps++;
    }

    /** E.g. "1,500 steps in 12.3 s (8.2 ms/step): train 81%, wait for batches 9%, publish 6%, other 4%". */
    String summary() {
        long total = Math.max(1, System.nanoTime() - startedAt);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%,d steps in %.1f s (%.2f ms/step):",
                steps, total / 1e9, steps == 0 ? 0 : total / 1e6 / steps));
        long accounted = 0;
        for (Phase p : Phase.values()) {
            long n = nanos.getOrDefault(p, 0L);
            accounted += n;
            s.append(String.format(Locale.ROOT, " %s %.0f%%,", p.name().toLowerCase(Locale.ROOT).replace('_', ' '), 100.0 * n / total));
        }
        return s.append(String.format(Locale.ROOT, " other %.0f%%", 100.0 * (total - accounted) / total)).toString();
    }
}
