package org.replyensemble.notifications.delivery;

public enum DeliveryStatus {
    /** Waiting for its (next) attempt at next_attempt_at. */
    PENDING,
    SENT,
    /** Gave up: after the configured number of attempts, or at once on a permanent rejection (5xx); an operator may retry it. */
    FAILED,
    /** Not sent because of its recipient's choice or state: unsubscribed, suppressed, already confirmed. */
    SUPPRESSED,
    /** Waiting for its recipient to confirm the address; released (PENDING) when they do. */
    HELD,
    /** Held past the confirmation's validity (or its mailbox's owner said "not me"): never sent. */
    DROPPED,
    /** Past its recipient's daily cap: not sent. */
    SKIPPED,
    /** Its comment was deleted before it was sent: never sent (status_reason says why). */
    CANCELLED,
    /**
     * A thread update past its recipient's flood-control limit, carried by a summary: no row has it
     * (since V9), it is an entry of {@code GET /api/deliveries?summaryId=}, derived from the thread.
     */
    FOLDED
}
