package io.backstream.trainer.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Every parameter of a model in one contiguous buffer, with a second buffer for the gradients.
 *
 * <p>Each {@link Parameter}'s value and grad are views into {@link #values()} and {@link #grads()}
 * (in the order given, C order inside each tensor), so an optimizer treats the model as one vector
 * while layers keep their shaped tensors. The flat order equals PyTorch's
 * {@code model.parameters()} order.
 */
public final class Parameters {
    private final List<Parameter> list;
    private final INDArray values;
    private final INDArray grads;

    private Parameters(List<Parameter> list, INDArray values, INDArray grads) {
        this.list = Collections.unmodifiableList(list);
        this.values = values;
        this.grads = grads;
    }

    /** Packs the given parameters into one buffer (copying their current values) and rebinds them to views. */
    public static Parameters pack(List<Parameter> params) {
        if (params.isEmpty()) throw new IllegalArgumentException("a model needs at least one parameter");
        DataType type = params.get(0).value().dataType();
        long total = 0;
        for (Parameter p : params) {
            if (p.value().dataType() != type) {
                throw new IllegalArgumentException(p.name() + " is " + p.value().dataType() + ", others are " + type);
            }
            total += p.length();
        }
        INDArray values = Nd4j.create(type, total);
        INDArray grads = Nd4j.create(type, total);
        long offset = 0;
        for (Parameter p : params) {
            long n = p.length();
            INDArray v = values.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', p.shape());
            INDArray g = grads.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', p.shape());
            v.assign(p.value());
            p.rebind(v, g); // Nd4j.create zero-fills, so the fresh gradients are zero
            p.markGradZero();
            offset += n;
        }
        return new Parameters(new ArrayList<>(params), values, grads);
    }

    /**
     * The parameters of a replica ({@link Parameter#replica()}, in {@code master}'s order): the
     * values are {@code master}'s buffer, the gradients a flat buffer of their own.
     */
    static Parameters sharingValues(Parameters master, List<Parameter> replicas) {
        if (replicas.size() != master.list.size()) {
            throw new IllegalArgumentException("a replica has " + replicas.size() + " parameters, its model " + master.list.size());
        }
        INDArray grads = Nd4j.create(master.dataType(), master.count());
        long offset = 0;
        for (int i = 0; i < replicas.size(); i++) {
            Parameter p = replicas.get(i);
            Parameter m = master.list.get(i);
            if (!p.name().equals(m.name()) || p.value() != m.value()) throw new IllegalArgumentException(p.name() + " is not a replica of " + m.name());
            long n = p.length();
            p.rebind(m.value(), grads.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', p.shape()));
            p.markGradZero();
            offset += n;
        }
        return new Parameters(new ArrayList<>(replicas), master.values, grads);
    }

    /** Parameters in {@code model.parameters()} order. */
    public List<Parameter> list() {
        return list;
    }

    public Parameter get(String name) {
        for (Parameter p : list) if (p.name().equals(name)) return p;
        throw new IllegalArgumentException("no parameter named '" + name + "'; have " + names());
    }

    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (Parameter p : list) names.add(p.name());
        return names;
    }

    /** All values, flat, in {@link #list()} order. Writing into it writes the parameters. */
    public INDArray values() {
        return values;
    }

    /**
     * All gradients, flat, aligned with {@link #values()}. Call it again after each backward (it
     * is cheap): a gradient zeroed by {@link #zeroGrad()} and not written since is filled with
     * zeros only here.
     */
    public INDArray grads() {
        for (Parameter p : list) p.grad(); // materialises lazy zeros; the caller may write into them
        return grads;
    }

    public long count() {
        return values.length();
    }

    public DataType dataType() {
        return values.dataType();
    }

    /**
     * Sets every gradient to zero, as {@code optimizer.zero_grad(set_to_none=False)}. Lazily: the
     * next backward pass overwrites instead of adding, so a training step never spends a pass over
     * the buffer on zeros.
     */
    public void zeroGrad() {
        for (Parameter p : list) p.markGradZero();
    }

    /** A copy of every value, by name, as float arrays in C order. */
    public Map<String, float[]> toFloatArrays() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Parameter p : list) out.put(p.name(), p.toFloatArray());
        return out;
    }

    /** Sets every value from float arrays by name; every parameter must be present with its exact length. */
    public void load(Map<String, float[]> data) {
        for (Parameter p : list) {
            float[] d = data.get(p.name());
            if (d == null) throw new IllegalArgumentException("missing parameter '" + p.name() + "'");
            p.set(d);
        }
        for (String name : data.keySet()) get(name);
    }
}
