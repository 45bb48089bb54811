package io.backstream.trainer.nn;

import io.backstream.trainer.onnx.OnnxLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code torch.nn.Flatten()}: [N, C, H, W] → [N, C·H·W], index {@code c·H·W + h·W + w}. A view, no copy. */
public final class Flatten implements Layer {
    private INDArray input;
    private INDArray output;
    private INDArray gradOutput;
    private INDArray gradInput;

    @Override
    public Flatten replica() {
        return new Flatten();
    }

    @Override
    public INDArray forward(INDArray x) {
        if (x != input) { // the previous layer reuses its buffer: keep handing out the same view
            input = x;
            output = x.reshape('c', x.size(0), x.length() / x.size(0));
        }
        return output;
    }

    @Override
    public INDArray backward(INDArray g) {
        if (g != gradOutput) {
            gradOutput = g;
            gradInput = g.reshape('c', input.shape());
        }
        return gradInput;
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
