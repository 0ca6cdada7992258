package org.replyensemble.comments.comments;

import java.time.Instant;
import java.util.UUID;

/** A comment as the public API shows it: the author's name, never the address. */
public record CommentView(
        UUID id,
        UUID postId,
        UUID parentId,
        int position,
        /** 0 for a top-level comment, the parent's depth + 1 for a reply: how far to indent. */
        int depth,
        AuthorView author,
        String body,
        Instant createdAt) {

    public record AuthorView(String name) {
    }

    static CommentView of(Comment comment) {
        return new CommentView(comment.id(), comment.postId(), comment.parentId(), comment.position(), comment.depth(),
                new AuthorView(comment.authorName()), comment.body(), comment.createdAt());
    }
}
