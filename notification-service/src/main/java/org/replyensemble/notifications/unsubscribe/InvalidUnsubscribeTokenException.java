package org.replyensemble.notifications.unsubscribe;

/** The token was tampered with, malformed or expired; the message says which, for the person. */
public class InvalidUnsubscribeTokenException extends RuntimeException {

    public InvalidUnsubscribeTokenException(String message) {
        super(message);
    }
}
