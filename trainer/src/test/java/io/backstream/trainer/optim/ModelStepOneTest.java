package io.backstream.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.backstream.trainer.nn.Parameter;
import io.backstream.trainer.nn.Parameters;
import io.backstream.trainer.testing.Golden;
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

    /** The model's parameters (manifest.model.params, in order) packed and loaded with params_init. */
    static Parameters modelAtInit() {
        JsonNode m = Golden.manifest();
        List<Parameter> list = new ArrayList<>();
        Map<String, float[]> init = new LinkedHashMap<>();
        for (JsonNode p : m.get("model").get("params")) {
            String name = p.get("name").asText();
            long[] shape = new long[p.get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = p.get("shape").get(i).asLong();
            list.add(new Parameter(name, Nd4j.create(DataType.FLOAT, shape)));
            init.put(name, Golden.floats(m.get("params_init").get(name).asText()));
        }
        Parameters params = Parameters.pack(list);
        params.load(init);
        assertEquals(m.get("model").get("param_count").asLong(), params.count());
        return params;
    }

    /** Concatenation of the files {@code paths[name]} in parameter order. */
    static float[] concat(Parameters params, JsonNode paths) {
        float[] out = new float[(int) params.count()];
        int offset = 0;
        for (Parameter p : params.list()) {
            float[] part = Golden.floats(paths.get(p.name()).asText());
            assertEquals(p.length(), part.length, p.name());
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void one_step_from_init_matches_pytorch(String cfg) {
        JsonNode m = Golden.manifest();
        JsonNode tol = m.get("suggested_tolerances").get("optimizers").get(cfg);
        double maxAbsTol = tol.get("params_step1_max_abs").asDouble();
        double relL2Tol = tol.get("params_step1_rel_l2_of_displacement").asDouble();

        Parameters params = modelAtInit();
        float[] init = params.values().dup().toFloatVector();
        float[] grads = concat(params, m.get("init").get("grads"));
        float[] gold = concat(params, Golden.optimizer(cfg).get("params_step1"));
        params.grads().assign(Nd4j.createFromArray(grads));

        GoldenConfigs.create(cfg, params).step();

        float[] p = params.values().dup().toFloatVector();
        double maxAbs = 0, errSq = 0, dispSq = 0;
        int worst = -1;
        for (int i = 0; i < p.length; i++) {
            double err = Math.abs((double) p[i] - gold[i]);
            if (err > maxAbs) {
                maxAbs = err;
                worst = i;
            }
            errSq += err * err;
            double disp = (double) gold[i] - init[i];
            dispSq += disp * disp;
        }
        double relL2 = Math.sqrt(errSq) / Math.sqrt(dispSq);
        System.out.printf("params_step1 %-26s max abs %.3g (tol %.0g), rel L2 of displacement %.3g (tol %.0g)%n",
                cfg, maxAbs, maxAbsTol, relL2, relL2Tol);
        final int w = worst;
        final double ma = maxAbs;
        assertTrue(maxAbs <= maxAbsTol, () -> cfg + ": max |p - p_gold| = " + ma + " at flat index " + w + " (p " + p[w]
                + ", gold " + gold[w] + ", init " + init[w] + ", grad " + grads[w] + ") > " + maxAbsTol);
        assertTrue(relL2 <= relL2Tol, cfg + ": ||p - p_gold|| / ||p_gold - p_init|| = " + relL2 + " > " + relL2Tol);
    }
}
