package io.backstream.trainer.nn;

import io.backstream.trainer.onnx.OnnxLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max pooling, as {@code torch.nn.MaxPool2d(kernel)} (stride = kernel, no padding), NCHW.
 *
 * <p>Backward sends each window's gradient to its <em>first</em> maximum in row-major order, as
 * PyTorch does; libnd4j's oneDNN {@code maxpool2d_bp} breaks exact ties the same way.
 */
public final class MaxPool2d implements Layer {
    private final int kernel;
    private final int stride;
    private final NativeOp pool;
    private final NativeOp poolBackward;

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
        // kH,kW, sH,sW, pH,pW, dH,dW, paddingMode (0 = explicit), extra (unused by max), dataFormat (0 = NCHW)
        long[] args = {kernel, kernel, stride, stride, 0, 0, 1, 1, 0, 0, 0};
        this.pool = new NativeOp("maxpool2d", 1, 1, args);
        this.poolBackward = new NativeOp("maxpool2d_bp", 2, 1, args);
    }

    @Override
    public MaxPool2d replica() {
        return new MaxPool2d(kernel, stride);
    }

    @Override
    public INDArray forward(INDArray x) {
        long[] s = x.shape();
        if (s.length != 4) throw new IllegalArgumentException("MaxPool2d: expected NCHW input, got rank " + s.length);
        input = x;
        output = Buffers.reuse(output, x.dataType(), s[0], s[1], (s[2] - kernel) / stride + 1, (s[3] - kernel) / stride + 1);
        pool.in(0, x).out(0, output).run();
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        gradInput = Buffers.reuse(gradInput, input.dataType(), input.shape());
        poolBackward.in(0, input).in(1, gradOutput).out(0, gradInput).run();
        return gradInput;
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
