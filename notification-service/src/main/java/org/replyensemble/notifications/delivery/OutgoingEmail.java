package org.replyensemble.notifications.delivery;

import org.replyensemble.notifications.email.ReplyEmail;

/** A claimed delivery with what its email needs, and whether the recipient unsubscribed meanwhile. */
record OutgoingEmail(long deliveryId, int attempts, boolean unsubscribed, ReplyEmail email) {
}
