package org.replyensemble.notifications.threads;

import java.util.UUID;

/**
 * Published inside the thread stage's transaction when it wrote deliveries that are due now; the
 * sender listens after commit, so it is woken only for rows it can actually see, and only as many
 * of its threads as the rows need. Rows due later (a grace delay, a flood-control summary) and rows
 * not pending (held, cancelled) wake nobody: the senders' poll finds them when they come due.
 *
 * @param dueNow        pending rows written that are due now (at most: a row already there from a
 *                      direct reply recorded ahead of its turn counts again)
 * @param directReplies whether a direct reply is among them (wakes the direct-reply lane)
 */
public record DeliveriesRecorded(UUID postId, int dueNow, boolean directReplies) {
}
