package io.backstream.trainer.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A reusable output buffer: reallocated only when the wanted shape or type changes. */
final class Buffers {
    private Buffers() {}

    static INDArray reuse(INDArray current, DataType type, long... shape) {
        if (current != null && current.dataType() == type && Arrays.equals(current.shape(), shape)) {
            return current;
        }
        return Nd4j.create(type, shape);
    }
}
