package io.backstream.trainer.nn;

import io.backstream.trainer.onnx.OnnxLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code torch.nn.ReLU()}: y = max(x, 0); dx = dy where x > 0, else 0 (PyTorch's choice at exactly 0). */
public final class ReLU implements Layer {
    private final NativeOp relu = new NativeOp("relu", 1, 1, new long[0], 0.0);
    private final NativeOp reluBackward = new NativeOp("relu_bp", 2, 1, new long[0], 0.0);
    private INDArray input;
    private INDArray output;
    private INDArray gradInput;

    @Override
    public ReLU replica() {
        return new ReLU();
    }

    @Override
    public INDArray forward(INDArray x) {
        input = x;
        output = Buffers.reuse(output, x.dataType(), x.shape());
        relu.in(0, x).out(0, output).run();
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        gradInput = Buffers.reuse(gradInput, input.dataType(), input.shape());
        reluBackward.in(0, input).in(1, gradOutput).out(0, gradInput).run();
        return gradInput;
    }

    @Override
    public OnnxLayer toOnnx() {
        return new OnnxLayer.Relu();
    }

    @Override
    public String toString() {
        return "ReLU()";
    }
}
