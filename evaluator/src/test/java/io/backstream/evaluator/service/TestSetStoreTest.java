package io.backstream.evaluator.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.backstream.events.Batch;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TestSetStoreTest {

    /** Chunk {@code index} of {@code chunks}, two images each, label = index, pixels = index. */
    static Batch chunk(String id, int index, int chunks) {
        byte[] pixels = new byte[2 * 3072];
        Arrays.fill(pixels, (byte) index);
        return Batch.testSetChunk(id, index, chunks, 2L * index, new byte[] {(byte) index, (byte) index}, pixels);
    }

    @Test
    @DisplayName("complete when every chunk is in, in chunk order whatever the arrival order; duplicates ignored")
    void assembles() {
        TestSetStore store = new TestSetStore(2, 2);
        assertNull(store.add(chunk("d", 2, 3)));
        assertNull(store.add(chunk("d", 0, 3)));
        assertNull(store.add(chunk("d", 0, 3)));
        assertNull(store.get("d"));
        TestSet set = store.add(chunk("d", 1, 3));
        assertNotNull(set);
        assertArrayEquals(new byte[] {0, 0, 1, 1, 2, 2}, set.labels());
        assertEquals(2, set.pixels()[5 * 3072]);
        assertEquals(set, store.get("d"));
        assertNull(store.add(chunk("d", 1, 3)), "chunks of a complete set are duplicates");
    }

    @Test
    @DisplayName("a chunk with another chunk count starts the assembly over; the least recently used set is forgotten")
    void restartsAndBounds() {
        TestSetStore store = new TestSetStore(1, 1);
        assertNull(store.add(chunk("d", 0, 3)));
        assertNull(store.add(chunk("d", 1, 2)));
        assertNotNull(store.add(chunk("d", 0, 2)));
        assertNotNull(store.add(chunk("e", 0, 1)));
        assertNull(store.get("d"));
        assertNotNull(store.get("e"));
    }

    @Test
    @DisplayName("chunks whose firstRecord does not line up are not a test set")
    void gaps() {
        TestSetStore store = new TestSetStore(1, 1);
        store.add(chunk("d", 0, 2));
        Batch off = Batch.testSetChunk("d", 1, 2, 5, new byte[] {1}, new byte[3072]);
        assertNull(store.add(off));
        assertNull(store.get("d"));
    }
}
