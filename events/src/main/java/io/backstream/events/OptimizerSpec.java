package io.backstream.events;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code optimizer} object of a {@link RunSpec}. Every field may be omitted ({@code null}); the
 * trainer then uses PyTorch 1.13's default for that optimizer (and SGD when {@code type} is omitted).
 * Which fields a type takes, and the range rules, are PyTorch's own; a field the type does not have
 * is an error rather than silently ignored.
 *
 * @param type "sgd", "adam", "adamw" or "rmsprop" (lower case)
 * @param betas Adam/AdamW's {@code [beta1, beta2]}
 */
public record OptimizerSpec(String type, Double lr, Double momentum, Double dampening, Boolean nesterov,
                            Double weightDecay, List<Double> betas, Double eps, Boolean amsgrad, Double alpha,
                            Boolean centered) {

    public static final String SGD = "sgd", ADAM = "adam", ADAMW = "adamw", RMSPROP = "rmsprop";

    public static final List<String> TYPES = List.of(SGD, ADAM, ADAMW, RMSPROP);

    /** The type used when {@code type} is omitted: the tutorial's. */
    public static final String DEFAULT_TYPE = SGD;

    /** The fields each type takes, by their JSON names, as PyTorch's constructors do. */
    public static final Map<String, List<String>> PARAMETERS = Map.of(
            SGD, List.of("lr", "momentum", "dampening", "nesterov", "weightDecay"),
            ADAM, List.of("lr", "betas", "eps", "weightDecay", "amsgrad"),
            ADAMW, List.of("lr", "betas", "eps", "weightDecay", "amsgrad"),
            RMSPROP, List.of("lr", "alpha", "eps", "weightDecay", "momentum", "centered"));

    public OptimizerSpec {
        // a copy keeps the record immutable; ArrayList because a null entry must survive to validate()
        if (betas != null) betas = Collections.unmodifiableList(new ArrayList<>(betas));
    }

    /** Only the type set: every hyper-parameter at its default. */
    public static OptimizerSpec of(String type) {
        return new OptimizerSpec(type, null, null, null, null, null, null, null, null, null, null);
    }

    /** {@link #type()}, or {@link #DEFAULT_TYPE} when it is omitted. */
    public String effectiveType() {
        return type == null ? DEFAULT_TYPE : type;
    }

    /** Problems with this object, each starting with its field path ("optimizer.lr: …"); empty if valid. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        String t = effectiveType();
        boolean known = TYPES.contains(t);
        if (!known) {
            problems.add("optimizer.type: must be one of " + String.join(", ", TYPES) + ", got " + Json.quote(type));
        }
        // PyTorch's checks are "x >= 0"; "finite" is ours, because NaN slips through "x < 0" tests
        nonNegative(problems, "lr", lr);
        nonNegative(problems, "momentum", momentum);
        finite(problems, "dampening", dampening);
        nonNegative(problems, "weightDecay", weightDecay);
        nonNegative(problems, "eps", eps);
        nonNegative(problems, "alpha", alpha);
        if (betas != null) {
            if (betas.size() != 2) {
                problems.add("optimizer.betas: must be [beta1, beta2], got " + betas.size() + " value(s)");
            } else if (!betas.stream().allMatch(b -> b != null && b >= 0 && b < 1)) {
                problems.add("optimizer.betas: each must be in [0, 1), got " + list(betas));
            }
        }
        if (known) {
            List<String> accepted = PARAMETERS.get(t);
            for (String field : set().keySet()) {
                if (!accepted.contains(field)) problems.add("optimizer." + field + ": not a parameter of " + t);
            }
            boolean momentumOk = momentum != null && momentum > 0;
            boolean dampeningOk = dampening == null || dampening == 0;
            if (t.equals(SGD) && Boolean.TRUE.equals(nesterov) && !(momentumOk && dampeningOk)) {
                problems.add("optimizer.nesterov: requires momentum > 0 and dampening = 0");
            }
        }
        return problems;
    }

    /** The hyper-parameters that are set, by JSON name, in declaration order. */
    private Map<String, Object> set() {
        Map<String, Object> m = new LinkedHashMap<>();
        Object[][] fields = {{"lr", lr}, {"momentum", momentum}, {"dampening", dampening}, {"nesterov", nesterov},
                {"weightDecay", weightDecay}, {"betas", betas}, {"eps", eps}, {"amsgrad", amsgrad},
                {"alpha", alpha}, {"centered", centered}};
        for (Object[] f : fields) {
            if (f[1] != null) m.put((String) f[0], f[1]);
        }
        return m;
    }

    private static void nonNegative(List<String> problems, String field, Double value) {
        if (value == null) return;
        if (!Double.isFinite(value)) problems.add("optimizer." + field + ": must be a finite number, got " + value);
        else if (value < 0) problems.add("optimizer." + field + ": must be >= 0, got " + Checks.number(value));
    }

    private static void finite(List<String> problems, String field, Double value) {
        if (value != null && !Double.isFinite(value)) {
            problems.add("optimizer." + field + ": must be a finite number, got " + value);
        }
    }

    private static String list(List<Double> values) {
        return values.stream().map(v -> v == null ? "null" : Checks.number(v)).collect(Collectors.joining(", ", "[", "]"));
    }
}
