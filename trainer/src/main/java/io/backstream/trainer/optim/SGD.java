package io.backstream.trainer.optim;

import io.backstream.trainer.nn.Parameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, as
 * {@code torch.optim.SGD} (PyTorch 1.13, {@code foreach=False}).
 *
 * <pre>
 *   g = grad + weight_decay * p                       (if weight_decay != 0)
 *   if momentum != 0:
 *       buf = g                                       (t == 1: a copy, no dampening)
 *       buf = momentum * buf + (1 - dampening) * g    (t &gt; 1)
 *       g = g + momentum * buf   if nesterov   else   g = buf
 *   p = p - lr * g
 * </pre>
 *
 * State: {@code momentum_buffer} (only if momentum != 0).
 */
public final class SGD extends Optimizer {
    private final double lr, momentum, dampening, weightDecay;
    private final boolean nesterov;

    /** Plain SGD, {@code SGD(params, lr)}. */
    public SGD(Parameters parameters, double lr) {
        this(parameters, lr, 0, 0, false, 0);
    }

    public SGD(Parameters parameters, double lr, double momentum, double dampening, boolean nesterov, double weightDecay) {
        super(parameters, hyperparameters(lr, momentum, dampening, nesterov, weightDecay),
                momentum != 0 ? List.of("momentum_buffer") : List.of());
        this.lr = lr;
        this.momentum = momentum;
        this.dampening = dampening;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    private static Map<String, Object> hyperparameters(
            double lr, double momentum, double dampening, boolean nesterov, double weightDecay) {
        requireNonNegative("lr", "learning rate", lr);
        requireNonNegative("momentum", "momentum value", momentum);
        requireNonNegative("weight_decay", "weight_decay value", weightDecay);
        if (nesterov && (!(momentum > 0) || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening: nesterov=true, momentum="
                    + momentum + ", dampening=" + dampening);
        }
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("lr", lr);
        h.put("momentum", momentum);
        h.put("dampening", dampening);
        h.put("weight_decay", weightDecay);
        h.put("nesterov", nesterov);
        return h;
    }

    @Override
    public String name() {
        return "SGD";
    }

    public double lr() { return lr; }
    public double momentum() { return momentum; }
    public double dampening() { return dampening; }
    public boolean nesterov() { return nesterov; }
    public double weightDecay() { return weightDecay; }

    @Override
    protected void update(long t, float[] p, float[] g, int from, int to, float[][] state) {
        final float negLr = (float) -lr, wd = (float) weightDecay, mu = (float) momentum;
        final float oneMinusDamp = (float) (1 - dampening);
        final boolean decay = weightDecay != 0;
        if (momentum == 0) {
            for (int i = from; i < to; i++) {
                float d = decay ? Math.fma(p[i], wd, g[i]) : g[i];
                p[i] = Math.fma(d, negLr, p[i]);
            }
            return;
        }
        final float[] buf = state[0];
        final boolean first = t == 1;
        for (int i = from; i < to; i++) {
            float d = decay ? Math.fma(p[i], wd, g[i]) : g[i];
            float b = first ? d : Math.fma(d, oneMinusDamp, buf[i] * mu);
            buf[i] = b;
            float u = nesterov ? Math.fma(b, mu, d) : b;
            p[i] = Math.fma(u, negLr, p[i]);
        }
    }

    @Override
    protected void update(long t, double[] p, double[] g, int from, int to, double[][] state) {
        final double negLr = -lr, wd = weightDecay, mu = momentum, oneMinusDamp = 1 - dampening;
        final boolean decay = weightDecay != 0;
        if (momentum == 0) {
            for (int i = from; i < to; i++) {
                double d = decay ? Math.fma(p[i], wd, g[i]) : g[i];
                p[i] = Math.fma(d, negLr, p[i]);
            }
            return;
        }
        final double[] buf = state[0];
        final boolean first = t == 1;
        for (int i = from; i < to; i++) {
            double d = decay ? Math.fma(p[i], wd, g[i]) : g[i];
            double b = first ? d : Math.fma(d, oneMinusDamp, buf[i] * mu);
            buf[i] = b;
            double u = nesterov ? Math.fma(b, mu, d) : b;
            p[i] = Math.fma(u, negLr, p[i]);
        }
    }
}
