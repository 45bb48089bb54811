package io.backstream.trainer.nn;

import io.backstream.trainer.onnx.OnnxLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** {@code torch.nn.ReLU()}: y = max(x, 0); dx = dy where x > 0, else 0 (PyTorch's choice at exactly 0). */
public final class ReLU implements Layer {
    private INDArray input;
    private INDArray output;
    private INDArray gradInput;

    @Override
    public INDArray forward(INDArray x) {
        input = x;
        output = Buffers.reuse(output, x.dataType(), x.shape());
        Nd4j.exec(DynamicCustomOp.builder("relu").addInputs(x).addOutputs(output).addFloatingPointArguments(0.0).build());
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        gradInput = Buffers.reuse(gradInput, input.dataType(), input.shape());
        Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(input, gradOutput).addOutputs(gradInput).build());
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
