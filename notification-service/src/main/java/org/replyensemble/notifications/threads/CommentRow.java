package org.replyensemble.notifications.threads;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A comment as the thread stage keeps it; the addresses are normalized; wantsReplies is its notify
 * flag; parentAuthorEmail is the author of the comment it answers (null for a top-level comment or
 * a parent this thread does not know), read with the comment rather than in a round trip of its own;
 * withdrawn: why its mail is recorded CANCELLED rather than sent (deleted, hidden), or null.
 */
record CommentRow(UUID commentId, UUID postId, int position, UUID parentId, String authorName, String authorEmail,
                  boolean wantsReplies, OffsetDateTime createdAt, String parentAuthorEmail, String withdrawn) {

    boolean deleted() {
        return withdrawn != null;
    }
}
