package io.backstream.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.backstream.trainer.nn.Parameter;
import io.backstream.trainer.nn.Parameters;
import io.backstream.trainer.testing.Golden;
import io.backstream.trainer.testing.GoldenConfigs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The update rule on the real model's 145,578 parameters: from {@code params_init}, with the
 * step-1 gradient {@code init.grads} (the same for every config), one {@code step()} must give
 * {@code optimizers[cfg].params_step1} within {@code suggested_tolerances.optimizers[cfg]}: max
 * abs error, and the relative L2 error of the displacement ||p - p_gold|| / ||p_gold - p_init||.
 */
class ModelStepOneTest {

    static Stream<String> configs() {
        return GoldenConfigs.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void one_step_from_init_matches_pytorch(String cfg) {
        JsonNode m = Golden.manifest();
        JsonNode tol = m.get("suggested_tolerances").get("optimizers").get(cfg);
        double maxAbsTol = tol.get("params_step1_max_abs").asDouble();
        double relL2Tol = tol.get("params_step1_rel_l2_of_displacement").asDouble();

        Parameters params = Golden.initParams();
        assertEquals(m.get("model").get("param_count").asLong(), params.count());
        float[] init = params.values().dup().toFloatVector();
        float[] grads = GoldenConfigs.concat(params, m.get("init").get("grads"));
        float[] gold = GoldenConfigs.concat(params, Golden.optimizer(cfg).get("params_step1"));
        params.grads().assign(Nd4j.createFromArray(grads));

        GoldenConfigs.create(cfg, params).step();

        float[] p = params.values().dup().toFloatVector();
        GoldenConfigs.Distance d = GoldenConfigs.Distance.of(p, gold, init);
        double maxAbs = d.maxAbs(), relL2 = d.relL2OfDisplacement();
        int worst = d.worstIndex();
        System.out.printf("params_step1 %-26s max abs %.3g (tol %.0g), rel L2 of displacement %.3g (tol %.0g)%n",
                cfg, maxAbs, maxAbsTol, relL2, relL2Tol);
        final int w = worst;
        final double ma = maxAbs;
        assertTrue(maxAbs <= maxAbsTol, () -> cfg + ": max |p - p_gold| = " + ma + " at flat index " + w + " (p " + p[w]
                + ", gold " + gold[w] + ", init " + init[w] + ", grad " + grads[w] + ") > " + maxAbsTol);
        assertTrue(relL2 <= relL2Tol, cfg + ": ||p - p_gold|| / ||p_gold - p_init|| = " + relL2 + " > " + relL2Tol);
    }
}
