package io.backstream.trainer.nn;

import io.backstream.trainer.onnx.OnnxLayer;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fully connected layer, as {@code torch.nn.Linear(in, out)}, weight {@code [out,in]}.
 *
 * <pre>
 * forward:  y = x·Wᵀ + b
 * backward: dW += dyᵀ·x,  db += Σ_n dy,  dx = dy·W
 * </pre>
 */
public final class Linear implements Layer {
    private final String name;
    private final Parameter weight;
    private final Parameter bias;

    private INDArray input;
    private INDArray output;
    private INDArray gradInput;
    private INDArray ones;

    public Linear(String name, int inFeatures, int outFeatures, DataType type, Init init) {
        if (inFeatures <= 0 || outFeatures <= 0) throw new IllegalArgumentException(name + ": features must be positive");
        this.name = name;
        this.weight = new Parameter(name + ".weight", init.uniform(type, inFeatures, outFeatures, inFeatures));
        this.bias = new Parameter(name + ".bias", init.uniform(type, inFeatures, outFeatures));
    }

    @Override
    public INDArray forward(INDArray x) {
        long in = weight.shape()[1];
        if (x.rank() != 2 || x.size(1) != in) {
            throw new IllegalArgumentException(name + ": expected input [N," + in + "], got " + java.util.Arrays.toString(x.shape()));
        }
        input = x;
        output = Buffers.reuse(output, x.dataType(), x.size(0), weight.shape()[0]);
        Nd4j.gemm(x, weight.value(), output, false, true, 1.0, 0.0);
        output.addiRowVector(bias.value());
        return output;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        long n = gradOutput.size(0);
        // dW += dyᵀ·x and db += 1ᵀ·dy: beta = 1 accumulates straight into the gradient views
        Nd4j.gemm(gradOutput, input, weight.grad(), true, false, 1.0, 1.0);
        ones = Buffers.reuse(ones, gradOutput.dataType(), 1, n);
        if (ones.getDouble(0) != 1.0) ones.assign(1);
        Nd4j.gemm(ones, gradOutput, bias.grad().reshape(1, bias.length()), false, false, 1.0, 1.0);
        gradInput = Buffers.reuse(gradInput, input.dataType(), input.shape());
        Nd4j.gemm(gradOutput, weight.value(), gradInput, false, false, 1.0, 0.0);
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
