package io.backstream.trainer.service;

import java.util.List;

/** A run that cannot be created as asked: every problem, each naming its field (HTTP 400). */
final class InvalidSpecException extends RuntimeException {
    private final List<String> errors;

    InvalidSpecException(List<String> errors) {
        super(String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    InvalidSpecException(String error) {
        this(List.of(error));
    }

    List<String> errors() {
        return errors;
    }
}
