package io.backstream.trainer.train;

import io.backstream.data.EpochOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.backstream.data.CifarDataset;
import io.backstream.data.CifarDatasets;
import io.backstream.data.Split;
import io.backstream.trainer.nn.Sequential;
import io.backstream.trainer.nn.TutorialCnn;
import io.backstream.trainer.optim.Optimizer;
import io.backstream.trainer.testing.Golden;
import io.backstream.trainer.testing.GoldenConfigs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tutorial loop reproduces PyTorch's training run for every optimizer config: from
 * {@code params_init}, 12 steps of batch size 8 over {@code golden_train_96.bin} in file order,
 * each step's loss (taken before its update), the weights after step 1 and after step 12, all
 * within the manifest's suggested tolerances.
 */
class TrainingLoopGoldenTest {

    static Stream<String> configs() {
        return GoldenConfigs.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void twelveStepsMatchPyTorch(String cfg) throws IOException {
        JsonNode gold = Golden.optimizer(cfg);
        JsonNode tol = Golden.manifest().get("suggested_tolerances").get("optimizers").get(cfg);
        CifarDataset data = CifarDatasets.open(Golden.file("golden_train_96.bin"), Split.TRAIN);
        assertEquals(96, data.size());

        Sequential model = TutorialCnn.create(7);
        model.parameters().load(Golden.paramsInit());
        float[] init = model.parameters().values().dup().toFloatVector();
        Optimizer optimizer = GoldenConfigs.create(cfg, model.parameters());
        TrainingLoop loop = new TrainingLoop(model, optimizer, data, 8, EpochOrder.fileOrder());

        List<Double> losses = new ArrayList<>();
        float[][] afterStep1 = new float[1][];
        loop.run(1, new TrainingListener() {
            @Override
            public void onStep(StepResult s) {
                losses.add(s.loss());
                if (s.step() == 1) afterStep1[0] = model.parameters().values().dup().toFloatVector();
            }
        });

        assertEquals(12, losses.size());
        double worstRel = 0;
        for (int k = 0; k < 12; k++) {
            double expected = gold.get("losses").get(k).asDouble();
            worstRel = Math.max(worstRel, Math.abs(losses.get(k) - expected) / Math.abs(expected));
        }
        assertTrue(worstRel <= tol.get("losses_max_rel").asDouble(), cfg + ": loss max rel error " + worstRel);

        assertClose(cfg + " after step 1", afterStep1[0], GoldenConfigs.concat(model.parameters(), gold.get("params_step1")), init,
                tol.get("params_step1_max_abs").asDouble(), tol.get("params_step1_rel_l2_of_displacement").asDouble());
        assertClose(cfg + " after step 12", model.parameters().values().dup().toFloatVector(),
                GoldenConfigs.concat(model.parameters(), gold.get("params_final")), init,
                tol.get("params_final_max_abs").asDouble(), tol.get("params_final_rel_l2_of_displacement").asDouble());
    }

    private static void assertClose(String what, float[] actual, float[] gold, float[] init, double maxAbsTol, double relL2Tol) {
        GoldenConfigs.Distance d = GoldenConfigs.Distance.of(actual, gold, init);
        System.out.printf("%-40s max abs %.3g (tol %.0g), rel L2 of displacement %.3g (tol %.0g)%n",
                what, d.maxAbs(), maxAbsTol, d.relL2OfDisplacement(), relL2Tol);
        assertTrue(d.maxAbs() <= maxAbsTol, what + ": max abs error " + d.maxAbs() + " > " + maxAbsTol);
        assertTrue(d.relL2OfDisplacement() <= relL2Tol, what + ": rel L2 of displacement " + d.relL2OfDisplacement() + " > " + relL2Tol);
    }
}
