package io.backstream.trainer.service;

/** A well-formed batch its run cannot take; it goes to the dead-letter topic with this reason. */
final class RejectedBatchException extends RuntimeException {
    RejectedBatchException(String reason) {
        super(reason);
    }
}
