package io.backstream.trainer.onnx;

import java.util.Objects;

/**
 * One layer of a model as ONNX sees it: what {@link OnnxExport} writes and what {@link OnnxImport}
 * expects to find, node for node. {@code weight}/{@code bias} are {@link io.backstream.trainer.nn.Parameter}
 * names; the shapes come from the parameters themselves (conv {@code [out,in,k,k]}, Gemm {@code [out,in]}).
 */
public sealed interface OnnxLayer {

    /** ONNX operator type of the node this layer becomes. */
    String opType();

    /** Conv2d with a square {@code kernel}, the same {@code stride} and zero {@code padding} on every side, group 1, no dilation. */
    record Conv(String weight, String bias, int kernel, int stride, int padding) implements OnnxLayer {
        public Conv {
            Objects.requireNonNull(weight, "Conv weight");
            Objects.requireNonNull(bias, "Conv bias");
            if (kernel < 1 || stride < 1 || padding < 0) {
                throw new IllegalArgumentException("Conv: need kernel >= 1, stride >= 1, padding >= 0; got kernel "
                        + kernel + ", stride " + stride + ", padding " + padding);
            }
        }

        @Override
        public String opType() {
            return "Conv";
        }
    }

    /** MaxPool2d with a square window, no padding, floor rounding ({@code ceil_mode=0}). */
    record MaxPool(int kernel, int stride) implements OnnxLayer {
        public MaxPool {
            if (kernel < 1 || stride < 1) {
                throw new IllegalArgumentException("MaxPool: need kernel >= 1, stride >= 1; got kernel " + kernel + ", stride " + stride);
            }
        }

        @Override
        public String opType() {
            return "MaxPool";
        }
    }

    /** {@code [N,C,H,W] -> [N, C*H*W]} (ONNX Flatten, axis 1). */
    record Flatten() implements OnnxLayer {
        @Override
        public String opType() {
            return "Flatten";
        }
    }

    /** Linear layer: {@code y = x W^T + b} with {@code W [out,in]} (ONNX Gemm, transB=1, alpha=beta=1). */
    record Gemm(String weight, String bias) implements OnnxLayer {
        public Gemm {
            Objects.requireNonNull(weight, "Gemm weight");
            Objects.requireNonNull(bias, "Gemm bias");
        }

        @Override
        public String opType() {
            return "Gemm";
        }
    }

    record Relu() implements OnnxLayer {
        @Override
        public String opType() {
            return "Relu";
        }
    }
}
