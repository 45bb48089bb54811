package io.backstream.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every backward pass agrees with central finite differences in double precision.
 *
 * <p>For a layer L and a fixed random R, f(x, θ) = Σ L(x; θ)·R, so backward(R) must return ∂f/∂x and
 * accumulate ∂f/∂θ. Each is compared with (f(v + h) − f(v − h)) / 2h at randomly chosen entries.
 */
class GradientCheckTest {
    static final double H = 1e-6;
    static final double TOLERANCE = 1e-6; // relative to max(1, |numeric|); float64 central differences give ~1e-9
    final Random random = new Random(42);

    @Test
    void conv2dWithPaddingAndStride() {
        check(new Conv2d("c", 3, 4, 5, 1, 2, DataType.DOUBLE, new Init(1)), 2, 3, 8, 8);
        check(new Conv2d("s", 2, 3, 3, 2, 1, DataType.DOUBLE, new Init(2)), 2, 2, 7, 7);
        check(new Conv2d("v", 2, 3, 3, 1, 0, DataType.DOUBLE, new Init(3)), 1, 2, 6, 5);
    }

    @Test
    void maxPool2d() {
        check(new MaxPool2d(2), 2, 3, 6, 6);
        check(new MaxPool2d(3, 2), 1, 2, 7, 7);
    }

    @Test
    void linear() {
        check(new Linear("fc", 12, 5, DataType.DOUBLE, new Init(4)), 3, 12);
    }

    @Test
    void flattenAndRelu() {
        check(new Flatten(), 2, 3, 4, 4);
        check(new ReLU(), 3, 7);
    }

    @Test
    void wholeTutorialStackOnASmallBatch() {
        Sequential net = TutorialCnn.create(DataType.DOUBLE, 9);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 32, 32);
        int[] labels = {3, 7};
        CrossEntropyLoss loss = new CrossEntropyLoss();
        DoubleSupplier f = () -> loss.forward(net.forward(x), labels);
        net.zeroGrad();
        f.getAsDouble();
        INDArray dx = net.backward(loss.gradient()).dup();
        compare("input", x, dx, f);
        for (Parameter p : net.parameters().list()) compare(p.name(), p.value(), p.grad().dup(), f);
    }

    @Test
    void crossEntropyLoss() {
        INDArray z = Nd4j.randn(DataType.DOUBLE, 4, 10).muli(3);
        int[] labels = {0, 9, 4, 4};
        CrossEntropyLoss loss = new CrossEntropyLoss();
        DoubleSupplier f = () -> loss.forward(z, labels);
        f.getAsDouble();
        compare("logits", z, loss.gradient().dup(), f);
    }

    @Test
    void crossEntropyLossIsStableForHugeLogits() {
        INDArray z = Nd4j.createFromArray(new double[][] {{1e4, 0, -1e4}, {-5e3, 5e3, 0}});
        CrossEntropyLoss loss = new CrossEntropyLoss();
        double l = loss.forward(z, new int[] {0, 2});
        assertTrue(Double.isFinite(l) && Math.abs(l - 2500.0) < 1e-9, "loss " + l);
        assertTrue(Double.isFinite(loss.gradient().sumNumber().doubleValue()));
    }

    private void check(Layer layer, long... inputShape) {
        INDArray x = Nd4j.randn(DataType.DOUBLE, inputShape);
        INDArray out = layer.forward(x);
        INDArray r = Nd4j.randn(DataType.DOUBLE, out.shape());
        DoubleSupplier f = () -> layer.forward(x).mul(r).sumNumber().doubleValue();
        for (Parameter p : layer.parameters()) p.grad().assign(0);
        layer.forward(x);
        INDArray dx = layer.backward(r).dup();
        compare(layer + " input", x, dx, f);
        for (Parameter p : layer.parameters()) compare(layer + " " + p.name(), p.value(), p.grad().dup(), f);
    }

    /** Perturbs up to 40 random entries of {@code v} in place and compares with {@code analytic}. */
    private void compare(String what, INDArray v, INDArray analytic, DoubleSupplier f) {
        long n = v.length();
        INDArray flatV = v.reshape(n);
        INDArray flatG = analytic.reshape(n);
        for (int k = 0; k < Math.min(40, n); k++) {
            long i = n <= 40 ? k : (long) (random.nextDouble() * n);
            double orig = flatV.getDouble(i);
            flatV.putScalar(i, orig + H);
            double plus = f.getAsDouble();
            flatV.putScalar(i, orig - H);
            double minus = f.getAsDouble();
            flatV.putScalar(i, orig);
            double numeric = (plus - minus) / (2 * H);
            double a = flatG.getDouble(i);
            double err = Math.abs(numeric - a) / Math.max(1, Math.abs(numeric));
            assertTrue(err < TOLERANCE, what + "[" + i + "]: analytic " + a + " numeric " + numeric);
        }
    }
}
