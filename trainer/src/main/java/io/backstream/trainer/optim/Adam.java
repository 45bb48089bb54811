package io.backstream.trainer.optim;

import io.backstream.trainer.nn.Parameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with optional L2 weight decay and AMSGrad, as {@code torch.optim.Adam} (PyTorch 1.13,
 * {@code foreach=False}).
 *
 * <pre>
 *   g = grad + weight_decay * p                       (if weight_decay != 0; L2, not decoupled: see {@link AdamW})
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g * g
 *   bc1 = 1 - beta1^t,  bc2 = 1 - beta2^t             (float64)
 *   vmax = max(vmax, v), use vmax for v below         (if amsgrad)
 *   denom = sqrt(v) / sqrt(bc2) + eps                 (eps is added to sqrt(v-hat), not to sqrt(v))
 *   p = p - (lr / bc1) * m / denom
 * </pre>
 *
 * State: {@code exp_avg}, {@code exp_avg_sq}, and {@code max_exp_avg_sq} if amsgrad.
 */
public sealed class Adam extends Optimizer permits AdamW {
    private final double lr, beta1, beta2, eps, weightDecay;
    private final boolean amsgrad;

    /** {@code Adam(params, lr)} with PyTorch's defaults betas=(0.9, 0.999), eps=1e-8, no weight decay. */
    public Adam(Parameters parameters, double lr) {
        this(parameters, lr, 0.9, 0.999, 1e-8, 0, false);
    }

    public Adam(Parameters parameters, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        super(parameters, hyperparameters(lr, beta1, beta2, eps, weightDecay, amsgrad), bufferNames(amsgrad));
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.amsgrad = amsgrad;
    }

    static List<String> bufferNames(boolean amsgrad) {
        return amsgrad ? List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq") : List.of("exp_avg", "exp_avg_sq");
    }

    static Map<String, Object> hyperparameters(
            double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        requireNonNegative("lr", "learning rate", lr);
        requireNonNegative("eps", "epsilon value", eps);
        requireBeta("beta1", 0, beta1);
        requireBeta("beta2", 1, beta2);
        requireNonNegative("weight_decay", "weight_decay value", weightDecay);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("lr", lr);
        h.put("beta1", beta1);
        h.put("beta2", beta2);
        h.put("eps", eps);
        h.put("weight_decay", weightDecay);
        h.put("amsgrad", amsgrad);
        return h;
    }

    @Override
    public String name() {
        return "Adam";
    }

    public double lr() { return lr; }
    public double beta1() { return beta1; }
    public double beta2() { return beta2; }
    public double eps() { return eps; }
    public double weightDecay() { return weightDecay; }
    public boolean amsgrad() { return amsgrad; }

    /** This step's float64 scalars, set in {@link #prepare}. */
    final Step scalars = new Step();

    @Override
    protected void prepare(long t) {
        scalars.set(t, lr, beta1, beta2);
    }

    @Override
    protected void update(long t, float[] p, float[] g, int from, int to, float[][] state) {
        kernel(scalars, p, g, from, to, state, beta1, beta2, eps, weightDecay, amsgrad, 1.0);
    }

    @Override
    protected void update(long t, double[] p, double[] g, int from, int to, double[][] state) {
        kernel(scalars, p, g, from, to, state, beta1, beta2, eps, weightDecay, amsgrad, 1.0);
    }

    /** The float64 scalars of step t: step size lr / bc1 and sqrt(bc2), with bc = 1 - beta^t. */
    static final class Step {
        double stepSize, bc2Sqrt;

        void set(long t, double lr, double beta1, double beta2) {
            double bc1 = 1 - Math.pow(beta1, t);
            double bc2 = 1 - Math.pow(beta2, t);
            stepSize = lr / bc1;
            bc2Sqrt = Math.sqrt(bc2);
        }
    }

    /**
     * One Adam step; {@code decay} != 1 first multiplies p by it (AdamW's decoupled decay, a
     * float64 factor rounded once to the dtype).
     */
    static void kernel(Step step, float[] p, float[] g, int from, int to, float[][] state, double beta1, double beta2,
            double eps, double weightDecay, boolean amsgrad, double decay) {
        final float negStepSize = (float) -step.stepSize;
        final float bc2Sqrt = (float) step.bc2Sqrt;
        final float b1 = (float) beta1, oneMinusB1 = (float) (1 - beta1);
        final float b2 = (float) beta2, oneMinusB2 = (float) (1 - beta2);
        final float e = (float) eps, wd = (float) weightDecay, f = (float) decay;
        final boolean decoupled = decay != 1.0, l2 = weightDecay != 0;
        final float[] m = state[0], v = state[1];
        if (amsgrad) {
            final float[] vmax = state[2];
            for (int i = from; i < to; i++) {
                float pi = decoupled ? p[i] * f : p[i];
                float gi = l2 ? Math.fma(pi, wd, g[i]) : g[i];
                float mi = Math.fma(gi, oneMinusB1, m[i] * b1);
                float vi = v[i] * b2 + oneMinusB2 * gi * gi;
                float vmi = Math.max(vmax[i], vi);
                m[i] = mi;
                v[i] = vi;
                vmax[i] = vmi;
                float denom = (float) Math.sqrt(vmi) / bc2Sqrt + e;
                p[i] = pi + negStepSize * mi / denom;
            }
        } else {
            for (int i = from; i < to; i++) {
                float pi = decoupled ? p[i] * f : p[i];
                float gi = l2 ? Math.fma(pi, wd, g[i]) : g[i];
                float mi = Math.fma(gi, oneMinusB1, m[i] * b1);
                float vi = v[i] * b2 + oneMinusB2 * gi * gi;
                m[i] = mi;
                v[i] = vi;
                float denom = (float) Math.sqrt(vi) / bc2Sqrt + e;
                p[i] = pi + negStepSize * mi / denom;
            }
        }
    }

    static void kernel(Step step, double[] p, double[] g, int from, int to, double[][] state, double beta1, double beta2,
            double eps, double weightDecay, boolean amsgrad, double decay) {
        final double negStepSize = -step.stepSize;
        final double bc2Sqrt = step.bc2Sqrt;
        final double oneMinusB1 = 1 - beta1, oneMinusB2 = 1 - beta2;
        final boolean decoupled = decay != 1.0, l2 = weightDecay != 0;
        final double[] m = state[0], v = state[1];
        final double[] vmax = amsgrad ? state[2] : null;
        for (int i = from; i < to; i++) {
            double pi = decoupled ? p[i] * decay : p[i];
            double gi = l2 ? Math.fma(pi, weightDecay, g[i]) : g[i];
            double mi = Math.fma(gi, oneMinusB1, m[i] * beta1);
            double vi = v[i] * beta2 + oneMinusB2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            if (amsgrad) {
                vi = Math.max(vmax[i], vi);
                vmax[i] = vi;
            }
            double denom = Math.sqrt(vi) / bc2Sqrt + eps;
            p[i] = pi + negStepSize * mi / denom;
        }
    }
}
