package io.backstream.data.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How far a run may run ahead of the trainer: at least 16 batches, and 2,048 images for small batches. */
class RunRegistryTest {

    private static RunRegistry registry(int window, int windowImages) {
        RunRegistry r = new RunRegistry();
        r.window = window;
        r.windowImages = windowImages;
        return r;
    }

    @Test
    void smallBatchesGetADeeperWindow() {
        RunRegistry r = registry(16, 2048);
        assertEquals(2048, r.windowFor(1));
        assertEquals(32, r.windowFor(64));
        assertEquals(21, r.windowFor(100), "rounded up");
        assertEquals(16, r.windowFor(256), "never below the batch window");
        assertEquals(16, r.windowFor(4096));
    }

    @Test
    void withoutAnImageWindowItIsTheBatchWindow() {
        assertEquals(16, registry(16, 0).windowFor(1));
    }

    @Test
    void aRunIsRegisteredOnce() {
        RunRegistry r = registry(16, 2048);
        assertTrue(r.register("run-a", 8).isPresent());
        assertTrue(r.register("run-a", 8).isEmpty(), "a repeated START is recognised");
    }
}
