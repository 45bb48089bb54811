package io.backstream.trainer.optim;

import io.backstream.events.OptimizerSpec;
import io.backstream.trainer.nn.Parameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which optimizer and its hyper-parameters, as a user states them: a field left {@code null} takes
 * PyTorch 1.13's default for that optimizer; a field the optimizer does not have (momentum for
 * Adam, say) is an error rather than silently ignored. SGD has no default lr in PyTorch; here it is
 * 0.001, the tutorial's.
 */
public record OptimizerConfig(
        String type,
        Double lr,
        Double momentum,
        Double dampening,
        Boolean nesterov,
        Double weightDecay,
        Double beta1,
        Double beta2,
        Double eps,
        Boolean amsgrad,
        Double alpha,
        Boolean centered) {

    public static final List<String> TYPES = OptimizerSpec.TYPES;

    /** PyTorch's defaults for {@code type}. */
    public static OptimizerConfig of(String type) {
        return new OptimizerConfig(type, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The optimizer of a run spec (its {@code betas} pair becomes beta1, beta2). */
    public static OptimizerConfig from(OptimizerSpec o) {
        Double beta1 = o.betas() == null ? null : o.betas().get(0);
        Double beta2 = o.betas() == null ? null : o.betas().get(1);
        return new OptimizerConfig(o.effectiveType(), o.lr(), o.momentum(), o.dampening(), o.nesterov(), o.weightDecay(),
                beta1, beta2, o.eps(), o.amsgrad(), o.alpha(), o.centered());
    }

    /** The fields each optimizer accepts: the wire contract's table, with its {@code betas} as beta1 and beta2. */
    private static List<String> accepted(String type) {
        List<String> names = new ArrayList<>();
        for (String field : OptimizerSpec.PARAMETERS.getOrDefault(type, List.of())) {
            if (field.equals("betas")) {
                names.add("beta1");
                names.add("beta2");
            } else {
                names.add(field);
            }
        }
        return names;
    }

    /** Names of the fields that are set but that this type does not have (empty if all fit). */
    public List<String> inapplicableFields() {
        List<String> accepted = accepted(normalizedType());
        List<String> bad = new ArrayList<>();
        set().forEach((name, value) -> {
            if (!accepted.contains(name)) bad.add(name);
        });
        return bad;
    }

    private Map<String, Object> set() {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "lr", lr);
        put(m, "momentum", momentum);
        put(m, "dampening", dampening);
        put(m, "nesterov", nesterov);
        put(m, "weightDecay", weightDecay);
        put(m, "beta1", beta1);
        put(m, "beta2", beta2);
        put(m, "eps", eps);
        put(m, "amsgrad", amsgrad);
        put(m, "alpha", alpha);
        put(m, "centered", centered);
        return m;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) m.put(k, v);
    }

    private String normalizedType() {
        return type == null ? "" : type.toLowerCase(Locale.ROOT);
    }

    /**
     * Builds the optimizer on {@code parameters}.
     *
     * @throws IllegalArgumentException for an unknown type, a field the type does not have, or a
     *     value out of range (the optimizer's own checks, which name the hyper-parameter)
     */
    public Optimizer build(Parameters parameters) {
        String t = normalizedType();
        if (!TYPES.contains(t)) throw new IllegalArgumentException("unknown optimizer '" + type + "': expected one of " + TYPES);
        List<String> bad = inapplicableFields();
        if (!bad.isEmpty()) throw new IllegalArgumentException(t + " has no hyper-parameter " + String.join(", ", bad) + " (it takes " + accepted(t) + ")");
        return switch (t) {
            case "sgd" -> new SGD(parameters, or(lr, 0.001), or(momentum, 0.0), or(dampening, 0.0), or(nesterov, false), or(weightDecay, 0.0));
            case "adam" -> new Adam(parameters, or(lr, 1e-3), or(beta1, 0.9), or(beta2, 0.999), or(eps, 1e-8), or(weightDecay, 0.0), or(amsgrad, false));
            case "adamw" -> new AdamW(parameters, or(lr, 1e-3), or(beta1, 0.9), or(beta2, 0.999), or(eps, 1e-8), or(weightDecay, 1e-2), or(amsgrad, false));
            default -> new RMSprop(parameters, or(lr, 1e-2), or(alpha, 0.99), or(eps, 1e-8), or(weightDecay, 0.0), or(momentum, 0.0), or(centered, false));
        };
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
