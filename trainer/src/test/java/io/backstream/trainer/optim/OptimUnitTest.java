package io.backstream.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.backstream.trainer.nn.Parameters;
import io.backstream.trainer.testing.Golden;
import io.backstream.trainer.testing.GoldenConfigs;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code manifest.optim_unit}: the update rule alone, with no model. A float32 vector p[512]
 * starts at {@code p0}; at step t (1..64) its gradient is {@code grads[t-1]} (columns 0-7 always
 * 0, 8-15 always 1e-9, 16-31 zero at step 5, rows 32-63 20x smaller); after the checkpoint steps
 * p must match PyTorch 1.13 within {@code suggested_tolerances.optim_unit_max_abs[cfg]}.
 */
class OptimUnitTest {
    static final int N = 512;

    static java.util.stream.Stream<String> configs() {
        return GoldenConfigs.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void float32_parameters_follow_pytorch_at_every_checkpoint(String cfg) {
        assertMatchesPyTorch(cfg, DataType.FLOAT);
    }

    /** Gradient checks run in float64: the same rule in double stays within the same tolerance of PyTorch's float32 run. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void float64_parameters_follow_the_same_rule(String cfg) {
        assertMatchesPyTorch(cfg, DataType.DOUBLE);
    }

    private static void assertMatchesPyTorch(String cfg, DataType type) {
        JsonNode unit = Golden.manifest().get("optim_unit");
        int steps = unit.get("steps").asInt();
        float[] p0 = Golden.floats(unit.get("p0").asText());
        float[] grads = Golden.floats(unit.get("grads").asText());
        float[] expected = Golden.floats(unit.get("params_after").get(cfg).asText());
        double tol = Golden.manifest().get("suggested_tolerances").get("optim_unit_max_abs").get(cfg).asDouble();

        Parameters params = GoldenConfigs.vector(p0, type);
        Optimizer opt = GoldenConfigs.create(cfg, params);
        JsonNode checkpoints = unit.get("checkpoints");
        int row = 0;
        double worst = 0;
        for (int t = 1; t <= steps; t++) {
            float[] g = new float[N];
            System.arraycopy(grads, (t - 1) * N, g, 0, N);
            params.grads().assign(Nd4j.createFromArray(g).castTo(type));
            opt.step();
            if (row < checkpoints.size() && checkpoints.get(row).asInt() == t) {
                double[] p = GoldenConfigs.flat(params);
                for (int i = 0; i < N; i++) {
                    float want = expected[row * N + i];
                    double got = p[i], err = Math.abs(got - want);
                    worst = Math.max(worst, err);
                    final int step = t, index = i;
                    assertTrue(err <= tol, () -> cfg + " " + type + ": step " + step + ", p[" + index + "] = " + got
                            + ", PyTorch " + want + ", |diff| " + err + " > " + tol);
                }
                row++;
            }
        }
        assertTrue(row == checkpoints.size(), "all checkpoints compared");
        System.out.printf("optim_unit %-26s %-6s max |p - p_torch| = %.3g (tolerance %.0g)%n", cfg, type, worst, tol);
    }
}
