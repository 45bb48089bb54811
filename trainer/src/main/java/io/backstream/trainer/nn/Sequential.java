package io.backstream.trainer.nn;

import io.backstream.trainer.onnx.OnnxLayer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layers applied in order, as {@code torch.nn.Sequential}; backward runs them in reverse.
 * Construction packs every layer's parameters into one flat {@link Parameters} buffer.
 */
public final class Sequential {
    private final List<Layer> layers;
    private final Parameters parameters;

    public Sequential(Layer... layers) {
        this.layers = List.of(layers);
        List<Parameter> all = new ArrayList<>();
        for (Layer layer : this.layers) all.addAll(layer.parameters());
        this.parameters = Parameters.pack(all);
    }

    private Sequential(List<Layer> layers, Parameters parameters) {
        this.layers = layers;
        this.parameters = parameters;
    }

    /**
     * A model that shares this one's weights and has gradients and buffers of its own
     * ({@link Layer#replica()}): replicas run forward and backward on parts of one batch at the same
     * time, and their gradients are then summed into this model's.
     */
    public Sequential replica() {
        List<Layer> copies = new ArrayList<>();
        List<Parameter> params = new ArrayList<>();
        for (Layer layer : layers) {
            Layer copy = layer.replica();
            copies.add(copy);
            params.addAll(copy.parameters());
        }
        return new Sequential(List.copyOf(copies), Parameters.sharingValues(parameters, params));
    }

    public INDArray forward(INDArray input) {
        INDArray x = input;
        for (Layer layer : layers) x = layer.forward(x);
        return x;
    }

    /** Backpropagates d(loss)/d(output) through every layer; parameter gradients accumulate. */
    public INDArray backward(INDArray gradOutput) {
        INDArray g = gradOutput;
        for (int i = layers.size() - 1; i >= 0; i--) g = layers.get(i).backward(g);
        return g;
    }

    /**
     * Backpropagates for training: parameter gradients accumulate as in {@link #backward}, but the
     * gradient with respect to the input (data) is not computed.
     */
    public void backwardParameters(INDArray gradOutput) {
        if (layers.isEmpty()) return;
        INDArray g = gradOutput;
        for (int i = layers.size() - 1; i > 0; i--) g = layers.get(i).backward(g);
        layers.get(0).backwardParameters(g);
    }

    public List<Layer> layers() {
        return layers;
    }

    public Parameters parameters() {
        return parameters;
    }

    public void zeroGrad() {
        parameters.zeroGrad();
    }

    /** The architecture as ONNX nodes, in order. */
    public List<OnnxLayer> toOnnx() {
        List<OnnxLayer> out = new ArrayList<>();
        for (Layer layer : layers) out.add(layer.toOnnx());
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Sequential(\n");
        for (int i = 0; i < layers.size(); i++) sb.append("  (").append(i).append("): ").append(layers.get(i)).append('\n');
        return sb.append(")").toString();
    }
}
