package org.replyensemble.comments.comments;

import java.time.Instant;
import java.util.UUID;

/**
 * A comment as the pages read it: the query that makes it never selects the author's address,
 * so no page, template or log line can show one by mistake.
 *
 * @param rootId   the top-level comment a reply belongs to; null for a top-level comment
 * @param editedAt when its author last edited it; null if never
 * @param deleted  deleted: it keeps its place as "[deleted]", without name or text
 * @param hidden   hidden by a moderator: it keeps its place as "[hidden]"; its name and text were not read
 */
public record PublicComment(UUID id, UUID postId, UUID parentId, UUID rootId, int position, int depth, String authorName,
                            String body, Instant createdAt, Instant editedAt, boolean deleted, boolean hidden) {

    public boolean topLevel() {
        return parentId == null;
    }
}
