package org.replyensemble.notifications.delivery;

import java.time.Instant;
import java.util.UUID;

/**
 * The operator's view of a delivery: the recipient is masked, never a full address. A SUMMARY has no
 * comment; the comments it carried are listed by {@code GET /api/deliveries?summaryId=} (derived from the
 * thread: one FOLDED entry per comment, whose id and summaryId are the summary's).
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
        /** An entry of {@code ?summaryId=} (a comment the summary carried): the summary's id; null otherwise. */
        Long summaryId,
        /** A SUMMARY: when its flood-control window opened (its key with recipient and post); null otherwise. */
        Instant summaryWindow) {
}
