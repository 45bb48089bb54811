package io.backstream.events;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What the headers of a snapshot record say about the ONNX bytes in its value.
 *
 * <p>No Kafka types here: {@link #toHeaders()} gives name → value pairs to add to a record, and
 * {@link #fromHeaders} takes a lookup, e.g.
 * {@code name -> { Header h = record.headers().lastHeader(name); return h == null ? null : h.value(); }}.
 *
 * @param step the last step applied to the weights, 1-based over the run
 * @param epoch the epoch that step belongs to, 1-based
 */
public record SnapshotMetadata(String runId, long step, int epoch) {

    public SnapshotMetadata {
        Checks.required("runId", runId);
    }

    /** The four headers, in the order runId, step, epoch, contentType. */
    public Map<String, byte[]> toHeaders() {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put(SnapshotHeaders.RUN_ID, SnapshotHeaders.text(runId));
        headers.put(SnapshotHeaders.STEP, SnapshotHeaders.number(step));
        headers.put(SnapshotHeaders.EPOCH, SnapshotHeaders.number(epoch));
        headers.put(SnapshotHeaders.CONTENT_TYPE, SnapshotHeaders.text(SnapshotHeaders.ONNX));
        return headers;
    }

    /**
     * Reads the headers through {@code lastHeader} (name → value, null when absent). A missing
     * header, a number that is not one, or a content type other than ONNX is a
     * {@link MalformedRecordException}.
     */
    public static SnapshotMetadata fromHeaders(Function<String, byte[]> lastHeader) {
        String contentType = SnapshotHeaders.text(SnapshotHeaders.CONTENT_TYPE, lastHeader.apply(SnapshotHeaders.CONTENT_TYPE));
        if (!contentType.equals(SnapshotHeaders.ONNX)) {
            throw new MalformedRecordException("header " + SnapshotHeaders.CONTENT_TYPE + ": expected " + SnapshotHeaders.ONNX
                    + ", got " + Json.quote(contentType));
        }
        String runId = SnapshotHeaders.text(SnapshotHeaders.RUN_ID, lastHeader.apply(SnapshotHeaders.RUN_ID));
        if (runId.isEmpty()) throw new MalformedRecordException("header " + SnapshotHeaders.RUN_ID + ": empty");
        long step = SnapshotHeaders.number(SnapshotHeaders.STEP, lastHeader.apply(SnapshotHeaders.STEP));
        long epoch = SnapshotHeaders.number(SnapshotHeaders.EPOCH, lastHeader.apply(SnapshotHeaders.EPOCH));
        if (epoch < 0 || epoch > Integer.MAX_VALUE) {
            throw new MalformedRecordException("header " + SnapshotHeaders.EPOCH + ": out of range, got " + epoch);
        }
        return new SnapshotMetadata(runId, step, (int) epoch);
    }
}
