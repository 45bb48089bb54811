package io.backstream.trainer.nn;

import io.backstream.trainer.onnx.OnnxLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code torch.nn.Flatten()}: [N, C, H, W] → [N, C·H·W], index {@code c·H·W + h·W + w}. A view, no copy. */
public final class Flatten implements Layer {
    private long[] inputShape;

    @Override
    public INDArray forward(INDArray x) {
        inputShape = x.shape();
        return x.reshape('c', inputShape[0], x.length() / inputShape[0]);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        return gradOutput.reshape('c', inputShape);
    }

    @Override
    public OnnxLayer toOnnx() {
        return new OnnxLayer.Flatten();
    }

    @Override
    public String toString() {
        return "Flatten()";
    }
}
