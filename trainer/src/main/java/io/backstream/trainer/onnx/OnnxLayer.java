package io.backstream.trainer.onnx;

public sealed interface OnnxLayer {
  record Conv(String weight, String bias, int kernel, int stride, int padding) implements OnnxLayer {}
  record MaxPool(int kernel, int stride) implements OnnxLayer {}
  record Flatten() implements OnnxLayer {}
  record Gemm(String weight, String bias) implements OnnxLayer {}   // y = x W^T + b, W [out,in]
  record Relu() implements OnnxLayer {}
}
