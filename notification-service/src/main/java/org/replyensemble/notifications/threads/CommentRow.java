package org.replyensemble.notifications.threads;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A comment as the thread stage keeps it; the address is normalized; wantsReplies is its notify
 * flag; deleted: its author deleted it, so its mail is recorded CANCELLED rather than sent.
 */
record CommentRow(UUID commentId, UUID postId, int position, UUID parentId, String authorName, String authorEmail,
                  boolean wantsReplies, OffsetDateTime createdAt, boolean deleted) {
}
