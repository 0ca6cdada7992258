package org.replyensemble.notifications.tokens;

/** A link's token that cannot be used; {@link #failure()} says why, each page words it for a person. */
public class InvalidTokenException extends RuntimeException {

    public enum Failure {
        /** No token at all. */
        MISSING,
        /** Not a token (cut off, or not ours). */
        MALFORMED,
        /** Sealed with a key we do not hold, or changed after sealing: forged or tampered with. */
        NOT_AUTHENTIC,
        EXPIRED,
        /** A genuine token made for another purpose (an unsubscribe token at /confirm, say). */
        WRONG_PURPOSE
    }

    private final Failure failure;

    public InvalidTokenException(Failure failure) {
        super(failure.name());
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
