package io.backstream.trainer.optim;

import io.backstream.trainer.nn.Parameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSprop with optional momentum, centering and L2 weight decay, as {@code torch.optim.RMSprop}
 * (PyTorch 1.13, {@code foreach=False}). There is no bias correction: the first step moves each
 * weight by about {@code lr * g / sqrt((1 - alpha) * g^2)}, i.e. 10 lr sign(g) for alpha = 0.99.
 *
 * <pre>
 *   g = grad + weight_decay * p                           (if weight_decay != 0)
 *   sq = alpha * sq + (1 - alpha) * g * g
 *   if centered: ga = alpha * ga + (1 - alpha) * g
 *                avg = sqrt(sq - ga * ga) + eps
 *   else:        avg = sqrt(sq) + eps
 *   if momentum &gt; 0: buf = momentum * buf + g / avg;  p = p - lr * buf
 *   else:            p = p - lr * g / avg
 * </pre>
 *
 * State: {@code square_avg}, {@code momentum_buffer} if momentum &gt; 0, {@code grad_avg} if centered.
 */
public final class RMSprop extends Optimizer {
    private final double lr, alpha, eps, weightDecay, momentum;
    private final boolean centered;

    /** {@code RMSprop(params, lr)} with PyTorch's defaults alpha=0.99, eps=1e-8, no weight decay, no momentum, not centered. */
    public RMSprop(Parameters parameters, double lr) {
        this(parameters, lr, 0.99, 1e-8, 0, 0, false);
    }

    public RMSprop(Parameters parameters, double lr, double alpha, double eps, double weightDecay, double momentum,
            boolean centered) {
        super(parameters, hyperparameters(lr, alpha, eps, weightDecay, momentum, centered), bufferNames(momentum, centered));
        this.lr = lr;
        this.alpha = alpha;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
        this.centered = centered;
    }

    private static List<String> bufferNames(double momentum, boolean centered) {
        List<String> names = new ArrayList<>(List.of("square_avg"));
        if (momentum > 0) names.add("momentum_buffer");
        if (centered) names.add("grad_avg");
        return names;
    }

    private static Map<String, Object> hyperparameters(
            double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        requireNonNegative("lr", "learning rate", lr);
        requireNonNegative("eps", "epsilon value", eps);
        requireNonNegative("momentum", "momentum value", momentum);
        requireNonNegative("weight_decay", "weight_decay value", weightDecay);
        requireNonNegative("alpha", "alpha value", alpha);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("lr", lr);
        h.put("alpha", alpha);
        h.put("eps", eps);
        h.put("weight_decay", weightDecay);
        h.put("momentum", momentum);
        h.put("centered", centered);
        return h;
    }

    @Override
    public String name() {
        return "RMSprop";
    }

    public double lr() { return lr; }
    public double alpha() { return alpha; }
    public double eps() { return eps; }
    public double weightDecay() { return weightDecay; }
    public double momentum() { return momentum; }
    public boolean centered() { return centered; }

    @Override
    protected void update(long t, float[] p, float[] g, int from, int to, float[][] state) {
        final float a = (float) alpha, oneMinusA = (float) (1 - alpha), e = (float) eps;
        final float wd = (float) weightDecay, mu = (float) momentum, negLr = (float) -lr;
        final boolean l2 = weightDecay != 0, useMomentum = momentum > 0;
        final float[] sq = state[0];
        final float[] buf = useMomentum ? state[1] : null;
        final float[] ga = centered ? state[useMomentum ? 2 : 1] : null;
        for (int i = from; i < to; i++) {
            float gi = l2 ? Math.fma(p[i], wd, g[i]) : g[i];
            float s = sq[i] * a + oneMinusA * gi * gi;
            sq[i] = s;
            float avg;
            if (centered) {
                float gai = Math.fma(gi, oneMinusA, ga[i] * a);
                ga[i] = gai;
                avg = (float) Math.sqrt(s + -1f * gai * gai) + e;
            } else {
                avg = (float) Math.sqrt(s) + e;
            }
            if (useMomentum) {
                float b = buf[i] * mu + 1f * gi / avg;
                buf[i] = b;
                p[i] = Math.fma(b, negLr, p[i]);
            } else {
                p[i] = p[i] + negLr * gi / avg;
            }
        }
    }

    @Override
    protected void update(long t, double[] p, double[] g, int from, int to, double[][] state) {
        final double a = alpha, oneMinusA = 1 - alpha, e = eps, wd = weightDecay, mu = momentum, negLr = -lr;
        final boolean l2 = weightDecay != 0, useMomentum = momentum > 0;
        final double[] sq = state[0];
        final double[] buf = useMomentum ? state[1] : null;
        final double[] ga = centered ? state[useMomentum ? 2 : 1] : null;
        for (int i = from; i < to; i++) {
            double gi = l2 ? Math.fma(p[i], wd, g[i]) : g[i];
            double s = sq[i] * a + oneMinusA * gi * gi;
            sq[i] = s;
            double avg;
            if (centered) {
                double gai = Math.fma(gi, oneMinusA, ga[i] * a);
                ga[i] = gai;
                avg = Math.sqrt(s + -1.0 * gai * gai) + e;
            } else {
                avg = Math.sqrt(s) + e;
            }
            if (useMomentum) {
                double b = buf[i] * mu + 1.0 * gi / avg;
                buf[i] = b;
                p[i] = Math.fma(b, negLr, p[i]);
            } else {
                p[i] = p[i] + negLr * gi / avg;
            }
        }
    }
}
