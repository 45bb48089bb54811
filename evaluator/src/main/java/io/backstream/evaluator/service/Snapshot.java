package io.backstream.evaluator.service;

import io.backstream.events.SnapshotMetadata;

/**
 * A model snapshot off {@code model.snapshots}: what its headers say, its ONNX bytes, and where it
 * came from (for a dead letter).
 *
 * @param dataset the run's dataset id (header "dataset"): whose test set scores it
 */
public record Snapshot(SnapshotMetadata meta, String dataset, byte[] onnx, Source source) {

    public String runId() {
        return meta.runId();
    }

    @Override
    public String toString() {
        return "Snapshot[" + meta + ", dataset=" + dataset + ", " + onnx.length + " bytes]";
    }
}
