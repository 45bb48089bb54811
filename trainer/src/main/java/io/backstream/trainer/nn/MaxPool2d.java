package io.backstream.trainer.nn;

import io.backstream.trainer.onnx.OnnxLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Max pooling, as {@code torch.nn.MaxPool2d(kernel)} (stride = kernel, no padding), NCHW.
 *
 * <p>Backward sends each window's gradient to its <em>first</em> maximum in row-major order, as
 * PyTorch does; libnd4j's oneDNN {@code maxpool2d_bp} breaks exact ties the same way.
 */
public final class MaxPool2d implements Layer {
    private final int kernel;
    private final int stride;

    private INDArray input;
    private INDArray output;
    private INDArray gradInput;

    public MaxPool2d(int kernel) {
        this(kernel, kernel);
    }

    public MaxPool2d(int kernel, int stride) {
        if (kernel <= 0 || stride <= 0) throw new IllegalArgumentException("MaxPool2d: kernel and stride must be positive");
        this.kernel = kernel;
        this.stride = stride;
    }

    @Override
    public INDArray forward(INDArray x) {
        long[] s = x.shape();
        if (s.length != 4) throw new IllegalArgumentException("MaxPool2d: expected NCHW input, got rank " + s.length);
        input = x;
        output = Buffers.reuse(output, x.dataType(), s[0], s[1], (s[2] - kernel) / stride + 1, (s[3] - kernel) / stride + 1);
        Nd4j.exec(op("maxpool2d").addInputs(x).addOutputs(output).build());
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        gradInput = Buffers.reuse(gradInput, input.dataType(), input.shape());
        Nd4j.exec(op("maxpool2d_bp").addInputs(input, gradOutput).addOutputs(gradInput).build());
        return gradInput;
    }

    private DynamicCustomOp.DynamicCustomOpsBuilder op(String opName) {
        // kH,kW, sH,sW, pH,pW, dH,dW, paddingMode (0 = explicit), extra (unused by max), dataFormat (0 = NCHW)
        return DynamicCustomOp.builder(opName).addIntegerArguments(kernel, kernel, stride, stride, 0, 0, 1, 1, 0, 0, 0);
    }

    @Override
    public OnnxLayer toOnnx() {
        return new OnnxLayer.MaxPool(kernel, stride);
    }

    @Override
    public String toString() {
        return "MaxPool2d(kernel_size=" + kernel + ", stride=" + stride + ")";
    }
}
