package io.backstream.trainer.nn;

import io.backstream.trainer.onnx.OnnxLayer;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fully connected layer, as {@code torch.nn.Linear(in, out)}, weight {@code [out,in]}.
 *
 * <pre>
 * forward:  y = x·Wᵀ + b
 * backward: dW += dyᵀ·x,  db += 1ᵀ·dy,  dx = dy·W
 * </pre>
 * The gradient products run as GEMMs straight into the gradient buffers: β = 1 accumulates,
 * β = 0 overwrites a gradient that {@code zeroGrad()} left logically zero.
 */
public final class Linear implements Layer {
    private static final long[] NO_INTS = {};
    private final String name;
    private final Parameter weight;
    private final Parameter bias;
    // matmul integer args: transpose x, transpose y, transpose z; float args: alpha, beta
    private final NativeOp timesWeightT = new NativeOp("matmul", 2, 1, new long[] {0, 1, 0}, 1.0, 0.0);
    private final NativeOp addBias = new NativeOp("biasadd", 2, 1, NO_INTS);
    // gradient products, β = 0 after zeroGrad() (overwrite), β = 1 otherwise (accumulate)
    private final NativeOp[] gradWeightOp = {
        new NativeOp("matmul", 2, 1, new long[] {1, 0, 0}, 1.0, 1.0), new NativeOp("matmul", 2, 1, new long[] {1, 0, 0}, 1.0, 0.0)};
    private final NativeOp[] gradBiasOp = {
        new NativeOp("matmul", 2, 1, new long[] {0, 0, 0}, 1.0, 1.0), new NativeOp("matmul", 2, 1, new long[] {0, 0, 0}, 1.0, 0.0)};
    private final NativeOp timesWeight = new NativeOp("matmul", 2, 1, new long[] {0, 0, 0}, 1.0, 0.0);

    private INDArray input;
    private INDArray output;
    private INDArray gradInput;
    private INDArray ones;
    private INDArray gradBiasOf;
    private INDArray gradBiasRow;

    public Linear(String name, int inFeatures, int outFeatures, DataType type, Init init) {
        if (inFeatures <= 0 || outFeatures <= 0) throw new IllegalArgumentException(name + ": features must be positive");
        this.name = name;
        this.weight = new Parameter(name + ".weight", init.uniform(type, inFeatures, outFeatures, inFeatures));
        this.bias = new Parameter(name + ".bias", init.uniform(type, inFeatures, outFeatures));
    }

    private Linear(Linear of) {
        this.name = of.name;
        this.weight = of.weight.replica();
        this.bias = of.bias.replica();
    }

    @Override
    public Linear replica() {
        return new Linear(this);
    }

    @Override
    public INDArray forward(INDArray x) {
        long in = weight.shape()[1];
        if (x.rank() != 2 || x.size(1) != in) {
            throw new IllegalArgumentException(name + ": expected input [N," + in + "], got " + Arrays.toString(x.shape()));
        }
        input = x;
        output = Buffers.reuse(output, x.dataType(), x.size(0), weight.shape()[0]);
        timesWeightT.in(0, x).in(1, weight.value()).out(0, output).run();
        addBias.in(0, output).in(1, bias.value()).out(0, output).run();
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        long n = gradOutput.size(0);
        gradWeightOp[weight.claimZeroGrad() ? 1 : 0].in(0, gradOutput).in(1, input).out(0, weight.gradBuffer()).run();
        if (ones == null || ones.size(1) != n || ones.dataType() != gradOutput.dataType()) {
            ones = Buffers.reuse(null, gradOutput.dataType(), 1, n).assign(1);
        }
        if (gradBiasOf != bias.gradBuffer()) { // a [1,out] view of the bias gradient, made once
            gradBiasOf = bias.gradBuffer();
            gradBiasRow = gradBiasOf.reshape(1, bias.length());
        }
        gradBiasOp[bias.claimZeroGrad() ? 1 : 0].in(0, ones).in(1, gradOutput).out(0, gradBiasRow).run();
        gradInput = Buffers.reuse(gradInput, input.dataType(), input.shape());
        timesWeight.in(0, gradOutput).in(1, weight.value()).out(0, gradInput).run();
        return gradInput;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public OnnxLayer toOnnx() {
        return new OnnxLayer.Gemm(weight.name(), bias.name());
    }

    @Override
    public String toString() {
        return "Linear(in_features=" + weight.shape()[1] + ", out_features=" + weight.shape()[0] + ")";
    }
}
