package io.backstream.trainer.onnx;

import io.backstream.trainer.nn.Parameter;
import io.backstream.trainer.nn.Parameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a layer list against the parameters it names and infers every layer's output shape
 * (without the batch dimension). Shared by export and import so both agree on what a model is.
 */
final class Architecture {
    /** CIFAR-10: {@code [3,32,32]}. */
    static final long[] CIFAR_INPUT = {3, 32, 32};

    private Architecture() {}

    /** Shape (without batch) after each layer; the last one is {@code [classes]}. */
    static List<long[]> check(List<OnnxLayer> layers, Parameters params, long[] inputChw) {
        if (layers == null || layers.isEmpty()) throw new IllegalArgumentException("the architecture has no layers");
        if (params == null) throw new IllegalArgumentException("parameters are null");
        if (inputChw.length != 3 || Arrays.stream(inputChw).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("input shape must be [channels,height,width] > 0, got " + Arrays.toString(inputChw));
        }
        Map<String, Integer> usedBy = new HashMap<>();
        List<long[]> shapes = new ArrayList<>();
        long[] cur = inputChw.clone();
        for (int i = 0; i < layers.size(); i++) {
            OnnxLayer layer = layers.get(i);
            String where = "layer " + i + " " + layer;
            if (layer == null) throw new IllegalArgumentException("layer " + i + " is null");
            if (layer instanceof OnnxLayer.Conv c) {
                requireRank(cur, 3, where, "a [C,H,W] input");
                long[] w = shapeOf(params, c.weight(), where, usedBy, i);
                long[] b = shapeOf(params, c.bias(), where, usedBy, i);
                if (w.length != 4 || w[1] != cur[0] || w[2] != c.kernel() || w[3] != c.kernel()) {
                    throw new IllegalArgumentException(where + ": weight '" + c.weight() + "' has shape " + Arrays.toString(w)
                            + ", expected [out," + cur[0] + "," + c.kernel() + "," + c.kernel() + "] (input has "
                            + cur[0] + " channels, kernel " + c.kernel() + ")");
                }
                if (b.length != 1 || b[0] != w[0]) {
                    throw new IllegalArgumentException(where + ": bias '" + c.bias() + "' has shape " + Arrays.toString(b)
                            + ", expected [" + w[0] + "]");
                }
                long h = (cur[1] + 2L * c.padding() - c.kernel()) / c.stride() + 1;
                long wd = (cur[2] + 2L * c.padding() - c.kernel()) / c.stride() + 1;
                if (cur[1] + 2L * c.padding() < c.kernel() || cur[2] + 2L * c.padding() < c.kernel()) {
                    throw new IllegalArgumentException(where + ": kernel " + c.kernel() + " does not fit the padded input "
                            + Arrays.toString(cur));
                }
                cur = new long[] {w[0], h, wd};
            } else if (layer instanceof OnnxLayer.MaxPool p) {
                requireRank(cur, 3, where, "a [C,H,W] input");
                if (cur[1] < p.kernel() || cur[2] < p.kernel()) {
                    throw new IllegalArgumentException(where + ": window " + p.kernel() + " does not fit the input " + Arrays.toString(cur));
                }
                cur = new long[] {cur[0], (cur[1] - p.kernel()) / p.stride() + 1, (cur[2] - p.kernel()) / p.stride() + 1};
            } else if (layer instanceof OnnxLayer.Flatten) {
                long n = 1;
                for (long d : cur) n *= d;
                cur = new long[] {n};
            } else if (layer instanceof OnnxLayer.Gemm g) {
                requireRank(cur, 1, where, "a flat [features] input (put a Flatten before it)");
                long[] w = shapeOf(params, g.weight(), where, usedBy, i);
                long[] b = shapeOf(params, g.bias(), where, usedBy, i);
                if (w.length != 2 || w[1] != cur[0]) {
                    throw new IllegalArgumentException(where + ": weight '" + g.weight() + "' has shape " + Arrays.toString(w)
                            + ", expected [out," + cur[0] + "] (the previous layer gives " + cur[0] + " features)");
                }
                if (b.length != 1 || b[0] != w[0]) {
                    throw new IllegalArgumentException(where + ": bias '" + g.bias() + "' has shape " + Arrays.toString(b)
                            + ", expected [" + w[0] + "]");
                }
                cur = new long[] {w[0]};
            } // Relu keeps the shape
            shapes.add(cur.clone());
        }
        if (cur.length != 1) {
            throw new IllegalArgumentException("the last layer gives " + Arrays.toString(cur)
                    + " per sample; logits must be flat [classes] (missing Flatten/Gemm at the end?)");
        }
        Set<String> unused = new LinkedHashSet<>(params.names());
        unused.removeAll(usedBy.keySet());
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("parameters " + unused + " are not used by any layer of the architecture");
        }
        return shapes;
    }

    private static void requireRank(long[] cur, int rank, String where, String what) {
        if (cur.length != rank) {
            throw new IllegalArgumentException(where + ": needs " + what + ", but the previous layer gives " + Arrays.toString(cur));
        }
    }

    private static long[] shapeOf(Parameters params, String name, String where, Map<String, Integer> usedBy, int layer) {
        Parameter p;
        try {
            p = params.get(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        Integer prev = usedBy.putIfAbsent(name, layer);
        if (prev != null) {
            throw new IllegalArgumentException(where + ": parameter '" + name + "' is already used by layer " + prev);
        }
        return p.shape();
    }
}
