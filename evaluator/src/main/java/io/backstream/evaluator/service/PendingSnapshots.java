package io.backstream.evaluator.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Snapshots waiting for their dataset's test set. At most {@code perRun} wait per run: a newer
 * snapshot pushes out the run's oldest (a run's latest weights matter most); at most
 * {@code maxRuns} runs wait, the run that parked least recently is dropped first. Not thread-safe.
 */
final class PendingSnapshots {

    private final int perRun;
    private final int maxRuns;
    private final Map<String, Deque<Snapshot>> byRun = new LinkedHashMap<>();

    PendingSnapshots(int perRun, int maxRuns) {
        if (perRun < 1 || maxRuns < 1) throw new IllegalArgumentException("bounds must be >= 1, got " + perRun + ", " + maxRuns);
        this.perRun = perRun;
        this.maxRuns = maxRuns;
    }

    /** Parks a snapshot; returns those it pushed out (empty, or the run's oldest, or a whole run's). */
    List<Snapshot> park(Snapshot s) {
        List<Snapshot> dropped = new ArrayList<>();
        Deque<Snapshot> run = byRun.remove(s.runId());   // re-inserted last: most recently parked
        if (run == null) run = new ArrayDeque<>();
        run.addLast(s);
        while (run.size() > perRun) dropped.add(run.removeFirst());
        byRun.put(s.runId(), run);
        Iterator<Deque<Snapshot>> oldest = byRun.values().iterator();
        while (byRun.size() > maxRuns) {
            dropped.addAll(oldest.next());
            oldest.remove();
        }
        return dropped;
    }

    /** Removes and returns every snapshot waiting for this dataset, in arrival order per run. */
    List<Snapshot> release(String dataset) {
        List<Snapshot> ready = new ArrayList<>();
        for (Iterator<Deque<Snapshot>> runs = byRun.values().iterator(); runs.hasNext(); ) {
            Deque<Snapshot> run = runs.next();
            run.removeIf(s -> {
                if (!s.dataset().equals(dataset)) return false;
                ready.add(s);
                return true;
            });
            if (run.isEmpty()) runs.remove();
        }
        return ready;
    }

    int size() {
        return byRun.values().stream().mapToInt(Deque::size).sum();
    }
}
