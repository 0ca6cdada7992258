package org.replyensemble.comments.comments;

import java.time.Instant;
import java.util.UUID;

import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.Person;

/** A comment as stored; the author's address leaves the service only in {@link #posted()}. */
record Comment(
        UUID id,
        UUID postId,
        UUID parentId,
        /** The top-level comment this reply belongs to; null for a top-level comment. */
        UUID rootId,
        int position,
        int depth,
        String authorName,
        String authorEmail,
        String body,
        boolean notifyOnReply,
        Instant createdAt) {

    /** What notification-service needs, on the internal topic. */
    CommentEvent posted() {
        return CommentEvent.posted(new CommentEvent.CommentPosted(id, postId, parentId, position,
                new Person(authorName, authorEmail), notifyOnReply, CommentEvent.excerptOf(body), createdAt));
    }
}
