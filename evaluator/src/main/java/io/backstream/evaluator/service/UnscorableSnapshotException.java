package io.backstream.evaluator.service;

/** A snapshot whose bytes ONNX Runtime cannot load, or whose model does not fit the test set. */
public class UnscorableSnapshotException extends Exception {

    public UnscorableSnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
