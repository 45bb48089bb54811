package io.backstream.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** model.snapshots headers: names, UTF-8 decimal values, and what a broken header says. */
class SnapshotMetadataTest {

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Test
    void headersAreNamedAndWrittenAsText() {
        Map<String, byte[]> headers = new SnapshotMetadata("run-1", 12_000, 6).toHeaders();
        assertEquals(List.of("runId", "step", "epoch", "contentType"), List.copyOf(headers.keySet()));
        assertEquals("run-1", text(headers.get(SnapshotHeaders.RUN_ID)));
        assertEquals("12000", text(headers.get(SnapshotHeaders.STEP)));
        assertEquals("6", text(headers.get(SnapshotHeaders.EPOCH)));
        assertEquals("application/onnx", text(headers.get(SnapshotHeaders.CONTENT_TYPE)));
    }

    @Test
    void headersReadBack() {
        var meta = new SnapshotMetadata("run-1", 12_000, 6);
        assertEquals(meta, SnapshotMetadata.fromHeaders(meta.toHeaders()::get));
    }

    @Test
    void aMissingHeaderIsNamed() {
        Map<String, byte[]> headers = new HashMap<>(new SnapshotMetadata("r", 1, 1).toHeaders());
        headers.remove(SnapshotHeaders.STEP);
        var e = assertThrows(MalformedRecordException.class, () -> SnapshotMetadata.fromHeaders(headers::get));
        assertEquals("header step: missing", e.getMessage());
    }

    @Test
    void aNumberThatIsNotOneIsNamed() {
        Map<String, byte[]> headers = new HashMap<>(new SnapshotMetadata("r", 1, 1).toHeaders());
        headers.put(SnapshotHeaders.EPOCH, new byte[] {0, 0, 0, 1});   // a binary int is not the contract
        var e = assertThrows(MalformedRecordException.class, () -> SnapshotMetadata.fromHeaders(headers::get));
        assertEquals("header epoch: expected a decimal integer, got \"\\u0000\\u0000\\u0000\\u0001\"", e.getMessage());
    }

    @Test
    void onlyOnnxIsASnapshot() {
        Map<String, byte[]> headers = new HashMap<>(new SnapshotMetadata("r", 1, 1).toHeaders());
        headers.put(SnapshotHeaders.CONTENT_TYPE, SnapshotHeaders.text("application/json"));
        var e = assertThrows(MalformedRecordException.class, () -> SnapshotMetadata.fromHeaders(headers::get));
        assertEquals("header contentType: expected application/onnx, got \"application/json\"", e.getMessage());
    }

    @Test
    void numbersRoundTripThroughTheirText() {
        assertEquals(Long.MAX_VALUE, SnapshotHeaders.number("step", SnapshotHeaders.number(Long.MAX_VALUE)));
        assertEquals(-3, SnapshotHeaders.number("step", SnapshotHeaders.number(-3)));
    }
}
