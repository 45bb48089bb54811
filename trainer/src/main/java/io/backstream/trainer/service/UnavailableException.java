package io.backstream.trainer.service;

/** Kafka cannot take the request's records right now (HTTP 503): nothing was started. */
final class UnavailableException extends RuntimeException {
    UnavailableException(String message) {
        super(message);
    }
}
