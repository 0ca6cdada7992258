package org.replyensemble.events;

/**
 * A record that can never be processed, however often it is retried: consumers send it to the
 * dead-letter topic at once (the message is the reason, copied into the record's headers).
 */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String reason) {
        super(reason);
    }

    public InvalidEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
