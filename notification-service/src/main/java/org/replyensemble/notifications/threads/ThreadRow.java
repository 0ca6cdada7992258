package org.replyensemble.notifications.threads;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A post as the thread stage knows it; addresses are normalized.
 *
 * @param gapSince since when the thread waits at {@code fannedOutPosition + 1} while a later comment is known; null if not
 */
record ThreadRow(UUID postId, String slug, String title, String authorName, String authorEmail, int fannedOutPosition,
                 OffsetDateTime gapSince) {
}
