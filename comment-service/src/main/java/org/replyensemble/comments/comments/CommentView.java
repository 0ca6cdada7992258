package org.replyensemble.comments.comments;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A comment as the public API shows it: the author's name, never the address. A deleted comment
 * keeps its place with {@code deleted: true}, the name "[deleted]" and an empty body; a comment a
 * moderator hid keeps it with {@code hidden: true}, the name "[hidden]" and an empty body.
 * {@code editSecret} and {@code editableUntil} are in the answer to the post only (once).
 */
public record CommentView(
        UUID id,
        UUID postId,
        UUID parentId,
        /** 1, 2, 3... in thread order; null while the comment waits for a moderator's approval. */
        Integer position,
        /** 0 for a top-level comment, the parent's depth + 1 for a reply: how far to indent. */
        int depth,
        AuthorView author,
        String body,
        Instant createdAt,
        /** When its author last edited it; null if never. */
        Instant editedAt,
        boolean deleted,
        boolean hidden,
        /** Waiting for a moderator: not public, mails nobody, until approved (only in the answer to the post). */
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean held,
        @JsonInclude(JsonInclude.Include.NON_NULL) String editSecret,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant editableUntil) {

    public record AuthorView(String name) {
    }

    /** The name a hidden comment shows instead of its author's. */
    public static final String HIDDEN_NAME = "[hidden]";

    static CommentView of(Comment comment) {
        boolean hidden = comment.hidden() && !comment.deleted();
        return new CommentView(comment.id(), comment.postId(), comment.parentId(), comment.position(), comment.depth(),
                new AuthorView(hidden ? HIDDEN_NAME : comment.authorName()), hidden ? "" : comment.body(), comment.createdAt(),
                comment.editedAt(), comment.deleted(), hidden, false, null, null);
    }

    /** The answer to the post: the only time the author's secret is shown. */
    static CommentView posted(Comment comment, String editSecret, Instant editableUntil, boolean held) {
        return new CommentView(comment.id(), comment.postId(), comment.parentId(), held ? null : comment.position(), comment.depth(),
                new AuthorView(comment.authorName()), comment.body(), comment.createdAt(), null, false, false, held, editSecret,
                editableUntil);
    }
}
