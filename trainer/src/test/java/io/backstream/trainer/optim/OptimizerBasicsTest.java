package io.backstream.trainer.optim;

import io.backstream.trainer.testing.GoldenConfigs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.backstream.trainer.nn.Parameter;
import io.backstream.trainer.nn.Parameters;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** What the optimizers rely on and promise besides the update rules. */
class OptimizerBasicsTest {

    @Test
    void zeroGrad_zeroes_the_flat_gradients_of_every_parameter() {
        Parameters params = Parameters.pack(List.of(
                new Parameter("w", Nd4j.rand(DataType.FLOAT, 3, 4)), new Parameter("b", Nd4j.rand(DataType.FLOAT, 4))));
        params.grads().assign(Nd4j.rand(DataType.FLOAT, 16).addi(1));
        Optimizer opt = new SGD(params, 0.1);
        opt.zeroGrad();
        assertArrayEquals(new float[16], params.grads().toFloatVector());
        assertArrayEquals(new float[12], params.get("w").grad().dup().reshape(12).toFloatVector());
    }

    @Test
    void the_nio_view_of_the_flat_buffer_is_the_off_heap_memory_itself() {
        Parameters params = GoldenConfigs.vector(new float[] {1, 2, 3, 4}, DataType.FLOAT);
        FloatBuffer view = Optimizer.floatView(params.values());
        assertEquals(4, view.remaining());
        assertEquals(3f, view.get(2), "reads see ND4J's values");
        view.put(2, 30f);
        assertEquals(30f, params.values().getFloat(2), "writes land in ND4J's buffer");
        params.values().putScalar(1, 20f);
        assertEquals(20f, view.get(1), "ND4J's writes show through the view");
    }

    @Test
    void a_step_updates_the_shaped_parameter_views_and_leaves_the_gradients_alone() {
        Parameters params = Parameters.pack(List.of(
                new Parameter("w", Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}})),
                new Parameter("b", Nd4j.createFromArray(new float[] {5}))));
        params.grads().assign(Nd4j.createFromArray(new float[] {1, 1, 1, 1, 2}));
        new SGD(params, 0.5, 0, 0, false, 0.1).step();
        // g + 0.1 p, then p - 0.5 g, as PyTorch does in float32
        float[] expected = new float[5];
        float[] p = {1, 2, 3, 4, 5}, g = {1, 1, 1, 1, 2};
        for (int i = 0; i < 5; i++) expected[i] = Math.fma(Math.fma(p[i], 0.1f, g[i]), -0.5f, p[i]);
        assertArrayEquals(expected, params.values().toFloatVector());
        assertArrayEquals(new float[] {expected[0], expected[1], expected[2], expected[3]},
                params.get("w").value().dup().reshape(4).toFloatVector());
        assertArrayEquals(g, params.grads().toFloatVector(), "weight decay must not write into the gradients");
    }

    @Test
    void describe_lists_the_hyperparameters_in_pytorch_names() {
        Parameters params = GoldenConfigs.vector(new float[] {1}, DataType.FLOAT);
        assertEquals("SGD(lr=0.01, momentum=0.9, dampening=0.0, weight_decay=5.0E-4, nesterov=false)",
                new SGD(params, 0.01, 0.9, 0, false, 5e-4).describe());
        assertEquals("RMSprop(lr=0.001, alpha=0.99, eps=1.0E-8, weight_decay=0.0, momentum=0.9, centered=true)",
                new RMSprop(params, 1e-3, 0.99, 1e-8, 0, 0.9, true).describe());
    }
}
