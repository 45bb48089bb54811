package io.backstream.evaluator.service;

import io.backstream.events.MalformedRecordException;
import io.backstream.events.SnapshotHeaders;
import io.backstream.events.SnapshotMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads a {@code model.snapshots} record: metadata headers, the "dataset" header, ONNX bytes. */
public final class Snapshots {

    /** The header naming the dataset whose test set scores the snapshot. */
    public static final String DATASET = "dataset";

    /** @throws MalformedRecordException naming the missing or bad header, or an empty value */
    public static Snapshot read(ConsumerRecord<String, byte[]> record) {
        SnapshotMetadata meta = SnapshotMetadata.fromHeaders(name -> {
            Header h = record.headers().lastHeader(name);
            return h == null ? null : h.value();
        });
        Header d = record.headers().lastHeader(DATASET);
        String dataset = SnapshotHeaders.text(DATASET, d == null ? null : d.value());
        if (dataset.isEmpty()) throw new MalformedRecordException("header " + DATASET + ": empty");
        if (record.value() == null || record.value().length == 0) {
            throw new MalformedRecordException("empty value: expected the ONNX model's bytes");
        }
        return new Snapshot(meta, dataset, record.value(), Source.of(record));
    }

    private Snapshots() {}
}
