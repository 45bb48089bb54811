package io.backstream.events;

/**
 * A record (JSON text, a binary batch, a header value) that is not what the contract says. The
 * message names exactly what is wrong, because it becomes a {@link DeadLetter#reason()} that someone
 * reads without the bytes at hand.
 */
public class MalformedRecordException extends RuntimeException {

    public MalformedRecordException(String message) {
        super(message);
    }

    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
