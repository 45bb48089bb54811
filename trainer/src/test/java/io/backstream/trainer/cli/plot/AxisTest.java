package io.backstream.trainer.cli.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AxisTest {

    @Test
    @DisplayName("ticks are round values (1, 2 or 5 times a power of ten) inside the range, about as many as asked")
    void roundTicks() {
        assertEquals(List.of(200.0, 400.0, 600.0, 800.0), Axis.of(130, 850, 0, 100).ticks(3));
        assertEquals(List.of(10_000.0, 20_000.0, 30_000.0, 40_000.0, 50_000.0), Axis.of(1, 50_000, 0, 1000).ticks(6), "0 is outside [1, 50000]");
        assertEquals(List.of(0.5, 1.0, 1.5, 2.0), Axis.of(0.42, 2.3, 0, 100).ticks(4));
        assertTrue(Axis.of(0.75, 1.25, 0, 100).ticks(5).contains(1.0), "one epoch: its tick is exactly 1.0, a whole number");
    }

    @Test
    @DisplayName("tick labels carry the decimals the step needs and group thousands")
    void labels() {
        Axis steps = Axis.of(1, 50_000, 0, 1000);
        assertEquals("20,000", steps.format(20_000, 6));
        Axis loss = Axis.of(0.42, 2.3, 0, 100);
        assertEquals("1.5", loss.format(1.5, 4));
        assertEquals("0.002", Axis.of(0.001, 0.01, 0, 100).format(0.002, 5));
    }

    @Test
    @DisplayName("values map linearly onto pixels, downwards for a y axis; a single value gets a range around it")
    void mapping() {
        Axis y = Axis.of(1, 2, 300, 100);
        assertEquals(300, y.pixel(1));
        assertEquals(100, y.pixel(2));
        assertEquals(200, y.pixel(1.5));
        Axis flat = Axis.of(5, 5, 0, 100);
        assertEquals(50, flat.pixel(5), 1e-9);
        Axis padded = Axis.of(0, 10, 0, 110).padded();
        assertEquals(5, padded.pixel(0), 1e-9);
    }
}
