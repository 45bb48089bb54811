package io.backstream.evaluator.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.backstream.events.SnapshotMetadata;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PendingSnapshotsTest {

    static Snapshot snap(String run, long step, String dataset) {
        return new Snapshot(new SnapshotMetadata(run, step, 1), dataset, new byte[] {1}, new Source("model.snapshots", 0, step, run));
    }

    static List<Long> steps(List<Snapshot> s) {
        return s.stream().map(x -> x.meta().step()).toList();
    }

    @Test
    @DisplayName("at most perRun wait per run, newest win; release gives a dataset's snapshots and keeps the others")
    void newestWin() {
        PendingSnapshots p = new PendingSnapshots(2, 8);
        assertEquals(List.of(), p.park(snap("a", 1, "d")));
        assertEquals(List.of(), p.park(snap("a", 2, "d")));
        assertEquals(List.of(1L), steps(p.park(snap("a", 3, "d"))));
        p.park(snap("b", 10, "e"));
        assertEquals(List.of(2L, 3L), steps(p.release("d")));
        assertEquals(1, p.size());
        assertEquals(List.of(10L), steps(p.release("e")));
        assertEquals(0, p.size());
    }

    @Test
    @DisplayName("at most maxRuns runs wait: the run parked least recently goes")
    void boundedRuns() {
        PendingSnapshots p = new PendingSnapshots(2, 2);
        p.park(snap("a", 1, "d"));
        p.park(snap("b", 1, "d"));
        p.park(snap("a", 2, "d"));
        assertEquals(List.of(1L), steps(p.park(snap("c", 1, "d"))), "b was parked least recently");
        assertEquals(3, p.size());
    }
}
