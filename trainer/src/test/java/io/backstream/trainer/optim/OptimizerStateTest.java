package io.backstream.trainer.optim;

import io.backstream.trainer.testing.GoldenConfigs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.backstream.trainer.nn.Parameters;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Checkpoint/resume: {@code state()} to bytes and back into a fresh optimizer on a copy of the
 * parameters continues bit-identically; a state of another type, size, dtype or configuration
 * is refused with a message saying what differs.
 */
class OptimizerStateTest {
    static final int N = 1000;

    static Stream<Arguments> everyOptimizer() {
        return Stream.of(DataType.FLOAT, DataType.DOUBLE).flatMap(type -> Stream.of(
                Arguments.of("SGD momentum nesterov wd", type, (Function<Parameters, Optimizer>) p -> new SGD(p, 0.01, 0.9, 0, true, 1e-3)),
                Arguments.of("SGD plain", type, (Function<Parameters, Optimizer>) p -> new SGD(p, 0.01)),
                Arguments.of("Adam amsgrad wd", type, (Function<Parameters, Optimizer>) p -> new Adam(p, 1e-3, 0.9, 0.999, 1e-8, 1e-2, true)),
                Arguments.of("AdamW", type, (Function<Parameters, Optimizer>) p -> new AdamW(p, 1e-3)),
                Arguments.of("RMSprop momentum centered", type, (Function<Parameters, Optimizer>) p -> new RMSprop(p, 1e-3, 0.99, 1e-8, 1e-4, 0.9, true))));
    }

    static float[] random(Random rnd, float scale) {
        float[] a = new float[N];
        for (int i = 0; i < N; i++) a[i] = (float) rnd.nextGaussian() * scale;
        return a;
    }

    static void setGrads(Parameters params, float[] g) {
        params.grads().assign(Nd4j.createFromArray(g).castTo(params.dataType()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyOptimizer")
    void resuming_from_bytes_is_bit_identical(String label, DataType type, Function<Parameters, Optimizer> make) {
        Random rnd = new Random(42);
        Parameters a = GoldenConfigs.vector(random(rnd, 1f), type);
        Optimizer optA = make.apply(a);
        List<float[]> grads = Stream.generate(() -> random(rnd, 0.1f)).limit(10).toList();
        for (int t = 0; t < 4; t++) {
            setGrads(a, grads.get(t));
            optA.step();
        }
        byte[] bytes = optA.state().toBytes();

        Parameters b = GoldenConfigs.vector(new float[N], type);
        b.values().assign(a.values());
        Optimizer optB = make.apply(b);
        optB.loadState(OptimizerState.fromBytes(bytes));
        assertEquals(4, optB.stepCount());
        for (int t = 4; t < 10; t++) {
            setGrads(a, grads.get(t));
            setGrads(b, grads.get(t));
            optA.step();
            optB.step();
        }
        assertArrayEquals(GoldenConfigs.flat(a), GoldenConfigs.flat(b), 0.0, label + ": parameters after resume");
        OptimizerState sa = optA.state(), sb = optB.state();
        assertEquals(sa.buffers().keySet(), sb.buffers().keySet());
        for (String k : sa.buffers().keySet()) assertArrayEquals(sa.buffers().get(k), sb.buffers().get(k), 0.0, k);
    }

    @Test
    void state_names_buffers_like_pytorch_and_is_empty_before_the_first_step() {
        Parameters p = GoldenConfigs.vector(new float[N], DataType.FLOAT);
        Adam adam = new Adam(p, 1e-3, 0.9, 0.999, 1e-8, 0, true);
        OptimizerState s0 = adam.state();
        assertEquals(0, s0.step());
        assertTrue(s0.buffers().isEmpty(), "lazy state: nothing before the first step");
        adam.step();
        OptimizerState s1 = adam.state();
        assertEquals(List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq"), List.copyOf(s1.buffers().keySet()));
        assertEquals(1, s1.step());
        assertEquals(N, s1.parameterCount());
        assertEquals("FLOAT", s1.dataType());
        assertEquals(List.of("square_avg", "momentum_buffer", "grad_avg"),
                new RMSprop(p, 1e-3, 0.99, 1e-8, 0, 0.9, true).stateBufferNames());
        assertEquals(List.of(), new SGD(p, 0.1).stateBufferNames());

        // restoring step 0 forgets the state: the next step is a first step again
        adam.loadState(s0);
        assertEquals(0, adam.stepCount());
        assertTrue(adam.state().buffers().isEmpty());
    }

    @Test
    void restoring_a_state_of_another_optimizer_fails_clearly() {
        Parameters p = GoldenConfigs.vector(new float[N], DataType.FLOAT);
        Adam adam = new Adam(p, 1e-3);
        adam.step();
        OptimizerState s = OptimizerState.fromBytes(adam.state().toBytes());

        var e = assertThrows(IllegalArgumentException.class, () -> new AdamW(p, 1e-3).loadState(s));
        assertTrue(e.getMessage().contains("Adam") && e.getMessage().contains("AdamW"), e.getMessage());

        Parameters small = GoldenConfigs.vector(new float[N - 1], DataType.FLOAT);
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(small, 1e-3).loadState(s));
        assertTrue(e.getMessage().contains("1000") && e.getMessage().contains("999"), e.getMessage());

        Parameters dbl = GoldenConfigs.vector(new float[N], DataType.DOUBLE);
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(dbl, 1e-3).loadState(s));
        assertTrue(e.getMessage().contains("FLOAT") && e.getMessage().contains("DOUBLE"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> new Adam(p, 1e-3, 0.9, 0.999, 1e-8, 0, true).loadState(s));
        assertTrue(e.getMessage().contains("amsgrad"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> OptimizerState.fromBytes(new byte[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("not an optimizer state"), e.getMessage());
        byte[] bytes = s.toBytes();
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 10);
        e = assertThrows(IllegalArgumentException.class, () -> OptimizerState.fromBytes(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void a_failed_load_leaves_the_optimizer_unchanged() {
        Parameters p = GoldenConfigs.vector(new float[N], DataType.FLOAT);
        SGD sgd = new SGD(p, 0.1, 0.9, 0, false, 0);
        setGrads(p, random(new Random(1), 1f));
        sgd.step();
        OptimizerState before = sgd.state();
        assertThrows(IllegalArgumentException.class, () -> sgd.loadState(new Adam(p, 1e-3).state()));
        assertEquals(1, sgd.stepCount());
        assertArrayEquals(before.buffers().get("momentum_buffer"), sgd.state().buffers().get("momentum_buffer"), 0.0);
    }
}
