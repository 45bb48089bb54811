package io.backstream.trainer.nn;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's default initialisation for Conv2d and Linear: weights by
 * {@code kaiming_uniform_(a=√5)} and biases by {@code U(−1/√fan_in, 1/√fan_in)}. With a = √5 the
 * Kaiming bound gain·√(3/fan_in) is exactly 1/√fan_in too, so both are U(−1/√fan_in, 1/√fan_in).
 *
 * <p>Same distribution as PyTorch, not the same numbers (PyTorch's generator is not reproduced): to
 * start from PyTorch's exact weights, load them ({@code --init model.onnx}).
 */
public final class Init {
    private final SplittableRandom random;

    public Init(long seed) {
        this.random = new SplittableRandom(seed);
    }

    INDArray uniform(DataType type, long fanIn, long... shape) {
        double bound = 1.0 / Math.sqrt(fanIn);
        long n = 1;
        for (long d : shape) n *= d;
        double[] values = new double[Math.toIntExact(n)];
        for (int i = 0; i < values.length; i++) values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        return Nd4j.createFromArray(values).castTo(type).reshape('c', shape);
    }
}
