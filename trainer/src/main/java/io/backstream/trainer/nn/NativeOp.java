package io.backstream.trainer.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One libnd4j custom op with fixed arguments and a prepared native context.
 *
 * <p>Building a {@code DynamicCustomOp} and marshalling its arrays costs ~12 µs per call, more than
 * many of this network's ops compute at batch size 1. Layers reuse their buffers, so the arrays
 * rarely change: the context keeps them and only re-binds an array whose object changed. One call
 * is then a single native dispatch.
 */
final class NativeOp {
    private final CustomOp op;
    private final OpContext context;
    private final INDArray[] inputs;
    private final INDArray[] outputs;

    NativeOp(String name, int inputs, int outputs, long[] intArgs, double... floatArgs) {
        this.op = DynamicCustomOp.builder(name).build();
        this.context = Nd4j.getExecutioner().buildContext();
        if (intArgs.length > 0) context.setIArguments(intArgs);
        if (floatArgs.length > 0) context.setTArguments(floatArgs);
        this.inputs = new INDArray[inputs];
        this.outputs = new INDArray[outputs];
    }

    NativeOp in(int i, INDArray a) {
        if (inputs[i] != a) {
            inputs[i] = a;
            context.setInputArray(i, a);
        }
        return this;
    }

    NativeOp out(int i, INDArray a) {
        if (outputs[i] != a) {
            outputs[i] = a;
            context.setOutputArray(i, a);
        }
        return this;
    }

    void run() {
        Nd4j.getExecutioner().exec(op, context);
    }
}
