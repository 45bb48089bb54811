package io.backstream.trainer.service;

/** The trainer already has its maximum of active runs (HTTP 429). */
final class TooManyRunsException extends RuntimeException {
    TooManyRunsException(int active, int max) {
        super("too many active runs: " + active + " of at most " + max
                + " (backstream.trainer.max-active-runs); stop one or wait for one to finish");
    }
}
