package org.replyensemble.notifications.confirmations;

/** Held deliveries became PENDING (their recipient confirmed); the sender listens after commit. */
public record DeliveriesReleased(int count) {
}
