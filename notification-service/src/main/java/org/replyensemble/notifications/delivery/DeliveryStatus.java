package org.replyensemble.notifications.delivery;

public enum DeliveryStatus {
    /** Waiting for its (next) attempt at next_attempt_at. */
    PENDING,
    SENT,
    /** Gave up after the configured number of attempts; an operator may retry it. */
    FAILED,
    /** The recipient unsubscribed between the fan-out and the sending. */
    SUPPRESSED
}
