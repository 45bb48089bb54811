package io.backstream.trainer.service;

/** The request does not fit the run's state, e.g. resuming a running run (HTTP 409). */
final class RunConflictException extends RuntimeException {
    RunConflictException(String message) {
        super(message);
    }
}
