package io.backstream.events;

import java.nio.charset.StandardCharsets;

/**
 * The Kafka header names of a {@link Topics#MODEL_SNAPSHOTS} record and how their values are
 * written. Every value is UTF-8 text, numbers in decimal, so {@code kcat -f '%h'} or
 * {@code kafka-console-consumer --property print.headers=true} show them as they are.
 * ({@link SnapshotMetadata} reads and writes all of them at once.)
 */
public final class SnapshotHeaders {

    /** The run the snapshot belongs to. */
    public static final String RUN_ID = "runId";
    /** The last step applied to the weights, 1-based over the run. */
    public static final String STEP = "step";
    /** The epoch that step belongs to, 1-based. */
    public static final String EPOCH = "epoch";
    /** The value's format; always {@link #ONNX}. */
    public static final String CONTENT_TYPE = "contentType";

    public static final String ONNX = "application/onnx";

    public static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** A header's text; a missing header is a {@link MalformedRecordException} naming it. */
    public static String text(String header, byte[] value) {
        if (value == null) throw new MalformedRecordException("header " + header + ": missing");
        return new String(value, StandardCharsets.UTF_8);
    }

    public static byte[] number(long value) {
        return text(Long.toString(value));
    }

    /** A header's decimal number; missing or not a decimal long is a {@link MalformedRecordException}. */
    public static long number(String header, byte[] value) {
        String text = text(header, value);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new MalformedRecordException("header " + header + ": expected a decimal integer, got " + Json.quote(text));
        }
    }

    private SnapshotHeaders() {}
}
