package io.backstream.data.service;

/** A record the broker did not acknowledge; the run cannot go on without a gap in its batches. */
final class PublishFailedException extends RuntimeException {

    PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
