package io.backstream.trainer.nn;

import io.backstream.trainer.onnx.OnnxLayer;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A differentiable layer: {@link #forward} computes the output and remembers what
 * {@link #backward} needs; {@link #backward} takes d(loss)/d(output), <em>adds</em> this layer's
 * parameter gradients into {@link Parameter#grad()} (PyTorch's accumulate-until-zero_grad) and
 * returns d(loss)/d(input).
 *
 * <p>Layers reuse their output buffers between calls of the same batch size, so the array a call
 * returns is valid until the next call of the same method: the training hot path allocates
 * nothing once warm. Copy ({@code dup()}) what you want to keep.
 */
public interface Layer {

    INDArray forward(INDArray input);

    INDArray backward(INDArray gradOutput);

    /**
     * Backward for a layer whose input needs no gradient (the first layer, whose input is data, as
     * when PyTorch's input has {@code requires_grad=False}): accumulates the parameter gradients
     * exactly as {@link #backward} does and skips d(loss)/d(input). Layers override it where that
     * saves work.
     */
    default void backwardParameters(INDArray gradOutput) {
        backward(gradOutput);
    }

    /** Learnable tensors, in PyTorch's {@code parameters()} order; empty for stateless layers. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * A layer of the same kind and shape that shares this one's parameter values (an update of one
     * is an update of both) and has its own gradients and buffers: several replicas can run forward
     * and backward on parts of a batch at the same time.
     */
    Layer replica();

    /** This layer as ONNX sees it (op and attributes, parameter names). */
    OnnxLayer toOnnx();
}
