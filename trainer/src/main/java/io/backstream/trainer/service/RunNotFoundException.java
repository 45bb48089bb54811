package io.backstream.trainer.service;

/** No run has this id (HTTP 404). */
final class RunNotFoundException extends RuntimeException {
    RunNotFoundException(String id) {
        super("no run " + id);
    }
}
