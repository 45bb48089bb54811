package io.backstream.trainer.nn;

import io.backstream.trainer.onnx.OnnxLayer;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * 2-D cross-correlation, as {@code torch.nn.Conv2d(in, out, kernel, stride, padding)}, NCHW.
 *
 * <pre>
 * forward:  y[n,o,i,j] = b[o] + Σ_c Σ_u Σ_v w[o,c,u,v] · x[n, c, i·s + u − p, j·s + v − p]   (zero outside)
 * backward: dw += Σ_n corr(x, dy),  db += Σ_{n,i,j} dy,  dx = full transposed correlation of dy with w
 * </pre>
 *
 * Both directions run in libnd4j's {@code conv2d}/{@code conv2d_bp}, which use oneDNN when the
 * native build has it. The weight stays in PyTorch's layout {@code [out,in,kh,kw]} ({@code wFormat=1}).
 */
public final class Conv2d implements Layer {
    private final String name;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;
    private final NativeOp conv;
    private final NativeOp convBackward;

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
        // kH,kW, sH,sW, pH,pW, dH,dW, paddingMode (0 = explicit), dataFormat (0 = NCHW), wFormat (1 = [oC,iC,kH,kW])
        long[] args = {kernel, kernel, stride, stride, padding, padding, 1, 1, 0, 0, 1};
        this.conv = new NativeOp("conv2d", 3, 1, args);
        this.convBackward = new NativeOp("conv2d_bp", 4, 3, args);
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
        conv.in(0, x).in(1, weight.value()).in(2, bias.value()).out(0, output).run();
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        DataType type = input.dataType();
        gradInput = Buffers.reuse(gradInput, type, input.shape());
        // after zeroGrad() the op writes straight into the gradient views; otherwise into temporaries that are added
        boolean writeWeight = weight.claimZeroGrad();
        boolean writeBias = bias.claimZeroGrad();
        if (!writeWeight) gradWeight = Buffers.reuse(gradWeight, type, weight.shape());
        if (!writeBias) gradBias = Buffers.reuse(gradBias, type, bias.shape());
        convBackward.in(0, input).in(1, weight.value()).in(2, bias.value()).in(3, gradOutput)
                .out(0, gradInput)
                .out(1, writeWeight ? weight.gradBuffer() : gradWeight)
                .out(2, writeBias ? bias.gradBuffer() : gradBias)
                .run();
        if (!writeWeight) weight.gradBuffer().addi(gradWeight);
        if (!writeBias) bias.gradBuffer().addi(gradBias);
        return gradInput;
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
