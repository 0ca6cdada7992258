package org.replyensemble.notifications.threads;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A comment as the thread stage keeps it; the address is normalized; wantsReplies is its notify
 * flag; withdrawn: why its mail is recorded CANCELLED rather than sent (deleted, hidden), or null.
 */
record CommentRow(UUID commentId, UUID postId, int position, UUID parentId, String authorName, String authorEmail,
                  boolean wantsReplies, OffsetDateTime createdAt, String withdrawn) {

    boolean deleted() {
        return withdrawn != null;
    }
}
