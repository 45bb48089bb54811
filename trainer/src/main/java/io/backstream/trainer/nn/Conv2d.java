package io.backstream.trainer.nn;

import io.backstream.trainer.onnx.OnnxLayer;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * 2-D cross-correlation, as {@code torch.nn.Conv2d(in, out, kernel, stride, padding)}, NCHW.
 *
 * <pre>
 * forward:  y[n,o,i,j] = b[o] + Σ_c Σ_u Σ_v w[o,c,u,v] · x[n, c, i·s + u − p, j·s + v − p]   (zero outside)
 * backward: dw += Σ_n corr(x, dy),  db += Σ_{n,i,j} dy,  dx = full transposed correlation of dy with w
 * </pre>
 *
 * Both directions run in libnd4j's {@code conv2d}/{@code conv2d_bp}, which use oneDNN when the
 * native build has it, on at most {@link #MAX_IMAGES_PER_CALL} images per call. The weight stays in PyTorch's layout {@code [out,in,kh,kw]} ({@code wFormat=1}).
 */
public final class Conv2d implements Layer {
    /**
     * Images per native call. Above ~64, oneDNN's kernels for these shapes slow down more than
     * linearly (measured on 2 cores: conv1's forward takes ~9× as long at 256 images as at 64), so
     * larger batches run in slices of 64.
     */
    static final int MAX_IMAGES_PER_CALL = 64;

    private final String name;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;
    private final NativeOp conv;
    private final NativeOp convBackward;
    private final ConvWeightGradient weightGradientOnly;

    private INDArray input;
    private INDArray output;
    private INDArray gradInput;
    private INDArray gradWeight;
    private INDArray gradBias;

    /** Weights and bias drawn as PyTorch's default init does: U(−1/√fan_in, 1/√fan_in). */
    public Conv2d(String name, int inChannels, int outChannels, int kernel, int stride, int padding, DataType type, Init init) {
        if (inChannels <= 0 || outChannels <= 0) throw new IllegalArgumentException(name + ": channels must be positive");
        if (kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException(name + ": kernel and stride must be positive, padding >= 0");
        }
        this.name = name;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        long fanIn = (long) inChannels * kernel * kernel;
        this.weight = new Parameter(name + ".weight", init.uniform(type, fanIn, outChannels, inChannels, kernel, kernel));
        this.bias = new Parameter(name + ".bias", init.uniform(type, fanIn, outChannels));
        this.conv = new NativeOp("conv2d", 3, 1, opArgs(kernel, stride, padding));
        this.convBackward = new NativeOp("conv2d_bp", 4, 3, opArgs(kernel, stride, padding));
        this.weightGradientOnly = stride == 1 ? new ConvWeightGradient(kernel, padding) : null;
    }

    /** kH,kW, sH,sW, pH,pW, dH,dW, paddingMode (0 = explicit), dataFormat (0 = NCHW), wFormat (1 = [oC,iC,kH,kW]) */
    private static long[] opArgs(int kernel, int stride, int padding) {
        return new long[] {kernel, kernel, stride, stride, padding, padding, 1, 1, 0, 0, 1};
    }

    private Conv2d(Conv2d of) {
        this.name = of.name;
        this.kernel = of.kernel;
        this.stride = of.stride;
        this.padding = of.padding;
        this.weight = of.weight.replica();
        this.bias = of.bias.replica();
        this.conv = new NativeOp("conv2d", 3, 1, opArgs(kernel, stride, padding));
        this.convBackward = new NativeOp("conv2d_bp", 4, 3, opArgs(kernel, stride, padding));
        this.weightGradientOnly = stride == 1 ? new ConvWeightGradient(kernel, padding) : null;
    }

    @Override
    public Conv2d replica() {
        return new Conv2d(this);
    }

    @Override
    public INDArray forward(INDArray x) {
        long[] s = x.shape();
        if (s.length != 4 || s[1] != weight.shape()[1]) {
            throw new IllegalArgumentException(name + ": expected input [N," + weight.shape()[1] + ",H,W], got " + Arrays.toString(s));
        }
        input = x;
        long outH = (s[2] + 2L * padding - kernel) / stride + 1;
        long outW = (s[3] + 2L * padding - kernel) / stride + 1;
        output = Buffers.reuse(output, x.dataType(), s[0], weight.shape()[0], outH, outW);
        for (long start = 0; start < s[0]; start += MAX_IMAGES_PER_CALL) {
            long end = Math.min(s[0], start + MAX_IMAGES_PER_CALL);
            conv.in(0, images(x, start, end)).in(1, weight.value()).in(2, bias.value()).out(0, images(output, start, end)).run();
        }
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        DataType type = input.dataType();
        long n = input.size(0);
        gradInput = Buffers.reuse(gradInput, type, input.shape());
        // after zeroGrad() the first call writes straight into the gradient views; others write temporaries that are added
        boolean writeWeight = weight.claimZeroGrad();
        boolean writeBias = bias.claimZeroGrad();
        for (long start = 0; start < n; start += MAX_IMAGES_PER_CALL) {
            long end = Math.min(n, start + MAX_IMAGES_PER_CALL);
            boolean directWeight = writeWeight && start == 0;
            boolean directBias = writeBias && start == 0;
            if (!directWeight) gradWeight = Buffers.reuse(gradWeight, type, weight.shape());
            if (!directBias) gradBias = Buffers.reuse(gradBias, type, bias.shape());
            convBackward.in(0, images(input, start, end)).in(1, weight.value()).in(2, bias.value()).in(3, images(gradOutput, start, end))
                    .out(0, images(gradInput, start, end))
                    .out(1, directWeight ? weight.gradBuffer() : gradWeight)
                    .out(2, directBias ? bias.gradBuffer() : gradBias)
                    .run();
            if (!directWeight) weight.gradBuffer().addi(gradWeight);
            if (!directBias) bias.gradBuffer().addi(gradBias);
        }
        return gradInput;
    }

    /** Images {@code [start, end)} of a batch: the array itself when that is all of it (no view, no re-binding). */
    static INDArray images(INDArray batch, long start, long end) {
        return start == 0 && end == batch.size(0) ? batch : batch.get(NDArrayIndex.interval(start, end));
    }

    /** For the first layer: the weight and bias gradients as a convolution of their own ({@link ConvWeightGradient}). */
    @Override
    public void backwardParameters(INDArray gradOutput) {
        if (weightGradientOnly == null) { // strided: the transposed formulation would need dilation; rare enough to not pay
            backward(gradOutput);
            return;
        }
        weightGradientOnly.accumulate(input, gradOutput, weight, bias);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public OnnxLayer toOnnx() {
        return new OnnxLayer.Conv(weight.name(), bias.name(), kernel, stride, padding);
    }

    @Override
    public String toString() {
        long[] w = weight.shape();
        return "Conv2d(" + w[1] + ", " + w[0] + ", kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding + ")";
    }
}
