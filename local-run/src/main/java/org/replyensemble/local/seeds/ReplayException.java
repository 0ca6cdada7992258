package org.replyensemble.local.seeds;

/** A call of the replay got an answer it cannot go on with; the message holds the status and body. */
public class ReplayException extends RuntimeException {

    public ReplayException(String message) {
        super(message);
    }

    public ReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
