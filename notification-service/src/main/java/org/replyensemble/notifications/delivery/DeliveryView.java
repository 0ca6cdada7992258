package org.replyensemble.notifications.delivery;

import java.time.Instant;
import java.util.UUID;

/**
 * The operator's view of a delivery: the recipient is masked, never a full address. A SUMMARY has no
 * comment; the comments it carried are the FOLDED deliveries naming it in summaryId.
 */
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
        Instant sentAt,
        /** A FOLDED delivery: the id of the summary delivery that carried its comment; null otherwise. */
        Long summaryId,
        /** A SUMMARY: when its flood-control window opened (its key with recipient and post); null otherwise. */
        Instant summaryWindow) {
}
