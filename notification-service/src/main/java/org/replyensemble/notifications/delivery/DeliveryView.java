package org.replyensemble.notifications.delivery;

import java.time.Instant;
import java.util.UUID;

/** The operator's view of a delivery: the recipient is masked, never a full address. */
public record DeliveryView(
        long id,
        UUID commentId,
        UUID postId,
        String recipient,
        String reason,
        DeliveryStatus status,
        /** Why it was not sent (held, dropped, suppressed, skipped, failed), in words. */
        String statusReason,
        int attempts,
        String lastError,
        Instant createdAt,
        Instant sentAt) {
}
