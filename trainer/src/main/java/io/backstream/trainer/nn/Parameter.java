package io.backstream.trainer.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One learnable tensor and its gradient, in PyTorch's layout (conv {@code [out,in,kh,kw]}, linear
 * {@code [out,in]}).
 *
 * <p>Once a model is built, {@link Parameters} packs every parameter into one flat buffer and
 * rebinds {@link #value()} and {@link #grad()} to views of it, so optimizers can update the whole
 * model in a few passes instead of one pass per tensor.
 */
public final class Parameter {
    private final String name;
    private final long[] shape;
    private INDArray value;
    private INDArray grad;
    /**
     * True after {@link Parameters#zeroGrad()} until the gradient is next written or read. The
     * buffer itself is zeroed lazily: a backward pass overwrites it (no zero fill, no add), and
     * anyone else who asks for it gets real zeros first.
     */
    private boolean gradIsZero = true;

    public Parameter(String name, INDArray value) {
        this.name = name;
        this.shape = value.shape().clone();
        this.value = value;
        this.grad = value.ulike();
    }

    /**
     * A parameter with the same name and the same value (the very array: an update of one is an
     * update of both) and a gradient of its own, for a model replica that computes part of a batch.
     */
    Parameter replica() {
        return new Parameter(name, value);
    }

    /** Name as in {@code model.named_parameters()}, e.g. {@code conv1.weight}. */
    public String name() {
        return name;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long length() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public INDArray value() {
        return value;
    }

    /** d(loss)/d(value), accumulated over backward passes until {@link Parameters#zeroGrad()}. */
    public INDArray grad() {
        if (gradIsZero) {
            grad.assign(0);
            gradIsZero = false; // the caller may write into it
        }
        return grad;
    }

    /**
     * For a layer's backward: true if the gradient is logically zero, so the layer must
     * <em>overwrite</em> {@link #gradBuffer()} with its result (its content is stale); false if it
     * must add to it. Either way the gradient counts as written afterwards.
     */
    boolean claimZeroGrad() {
        boolean zero = gradIsZero;
        gradIsZero = false;
        return zero;
    }

    /** The raw gradient buffer, for layers that honour {@link #claimZeroGrad()}. */
    INDArray gradBuffer() {
        return grad;
    }

    void markGradZero() {
        gradIsZero = true;
    }

    /** Copies {@code data} (C order, same length) into the value. */
    public void set(float[] data) {
        if (data.length != length()) {
            throw new IllegalArgumentException(
                    name + ": expected " + length() + " values for shape " + Arrays.toString(shape) + ", got " + data.length);
        }
        value.assign(org.nd4j.linalg.factory.Nd4j.createFromArray(data).reshape(shape).castTo(value.dataType()));
    }

    /** The value as a float array in C order (a copy). */
    public float[] toFloatArray() {
        return value.dup('c').castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).data().asFloat();
    }

    void rebind(INDArray value, INDArray grad) {
        this.value = value;
        this.grad = grad;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
