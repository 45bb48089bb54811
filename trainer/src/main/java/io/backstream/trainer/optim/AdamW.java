package io.backstream.trainer.optim;

import io.backstream.trainer.nn.Parameters;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as {@code torch.optim.AdamW}
 * (PyTorch 1.13, {@code foreach=False}).
 *
 * <pre>
 *   p = p * (1 - lr * weight_decay)       (first; the factor is computed in float64 and rounded once)
 *   then {@link Adam} with weight_decay = 0:
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g * g
 *   bc1 = 1 - beta1^t,  bc2 = 1 - beta2^t (float64)
 *   vmax = max(vmax, v), use vmax for v    (if amsgrad)
 *   p = p - (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)
 * </pre>
 *
 * State: {@code exp_avg}, {@code exp_avg_sq}, and {@code max_exp_avg_sq} if amsgrad.
 */
public final class AdamW extends Adam {

    /** {@code AdamW(params, lr)} with PyTorch's defaults betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01. */
    public AdamW(Parameters parameters, double lr) {
        this(parameters, lr, 0.9, 0.999, 1e-8, 0.01, false);
    }

    public AdamW(Parameters parameters, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        super(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad);
    }

    @Override
    public String name() {
        return "AdamW";
    }

    @Override
    protected void update(long t, float[] p, float[] g, int from, int to, float[][] state) {
        Adam.kernel(scalars, p, g, from, to, state, beta1(), beta2(), eps(), 0, amsgrad(), 1 - lr() * weightDecay());
    }

    @Override
    protected void update(long t, double[] p, double[] g, int from, int to, double[][] state) {
        Adam.kernel(scalars, p, g, from, to, state, beta1(), beta2(), eps(), 0, amsgrad(), 1 - lr() * weightDecay());
    }
}
