package io.backstream.evaluator.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ScoringBenchTest {

    @Test
    @DisplayName("the bench runs both paths on the same images and prints both rates and the ratio (no timing asserted)")
    void prints() throws Exception {
        Path golden = Path.of(System.getProperty("backstream.reference", "/work/shared/reference")).resolve("golden");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        double ratio = ScoringBench.run(golden.resolve("model_init.onnx"),
                ScoringBench.images(golden.resolve("golden_train_96.bin"), 300), 1, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.matches("(?s).*evaluator score images_per_s=[0-9.]+\n.*"), out);
        assertTrue(out.matches("(?s).*onnxruntime raw images_per_s=[0-9.]+\n.*"), out);
        assertTrue(ratio > 0, out);
    }
}
