package io.backstream.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ScoreAccumulator: accuracy, stable cross-entropy and per-class accuracy from logits")
class ScoreAccumulatorTest {

    @Test
    @DisplayName("three hand-checked samples, two classes")
    void handChecked() {
        ScoreAccumulator acc = new ScoreAccumulator(2);
        float ln3 = (float) Math.log(3);
        float[] logits = {
            0f, 0f,      // label 0: tie -> first index (0) wins: correct; loss ln 2
            1000f, 0f,   // label 1: wrong; loss = 1000 exactly (no overflow from exp(1000))
            0f, ln3,     // label 1: correct; p(1) = 3/4, loss ln(4/3)
        };
        acc.add(logits, 0, 0);
        acc.add(logits, 2, 1);
        acc.add(logits, 4, 1);
        Score s = acc.result();
        assertEquals(3, s.count());
        assertEquals(2, s.correct());
        assertEquals(2.0 / 3, s.accuracy(), 1e-15);
        double expectedLoss = (Math.log(2) + 1000 + (Math.log(1 + Math.exp(ln3)) - ln3)) / 3;
        assertEquals(expectedLoss, s.loss(), 1e-12);
        assertEquals((Math.log(2) + 1000 + Math.log(4.0 / 3)) / 3, s.loss(), 1e-7);
        assertArrayEquals(new long[] {1, 2}, s.perClassCount());
        assertArrayEquals(new double[] {1.0, 0.5}, s.perClassAccuracy(), 0);
        assertTrue(Double.isFinite(s.loss()));
    }

    @Test
    @DisplayName("a class with no samples has NaN accuracy; an empty score is NaN")
    void emptyClasses() {
        ScoreAccumulator acc = new ScoreAccumulator(3);
        assertTrue(Double.isNaN(acc.result().accuracy()));
        acc.add(new float[] {0f, 1f, 2f}, 0, 2);
        Score s = acc.result();
        assertTrue(Double.isNaN(s.perClassAccuracy()[0]));
        assertEquals(1.0, s.perClassAccuracy()[2]);
        assertEquals(1.0, s.accuracy());
    }

    @Test
    @DisplayName("a label outside [0, classes) is rejected")
    void badLabel() {
        ScoreAccumulator acc = new ScoreAccumulator(10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> acc.add(new float[10], 0, 10));
        assertEquals("label 10 is outside [0, 10) (the model has 10 outputs)", e.getMessage());
    }
}
