package org.replyensemble.notifications.threads;

import java.util.UUID;

/**
 * Published inside the thread stage's transaction when it recorded deliveries; the sender
 * listens after commit, so it is woken only for rows it can actually see.
 */
public record DeliveriesRecorded(UUID postId, int comments) {
}
