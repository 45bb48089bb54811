package io.backstream.trainer.onnx;

/**
 * An ONNX model that cannot be loaded: not ONNX at all (corrupt or truncated protobuf), a graph
 * that is not the expected architecture, or initializers that are missing or have the wrong
 * dtype/shape. The message names the node or initializer and says what was expected and found.
 */
public class OnnxFormatException extends RuntimeException {
    public OnnxFormatException(String message) {
        super(message);
    }

    public OnnxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
