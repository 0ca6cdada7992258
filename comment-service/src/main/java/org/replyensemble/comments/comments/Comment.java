package org.replyensemble.comments.comments;

import java.time.Instant;
import java.util.UUID;

import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.Person;

/** A comment as stored; the author's address leaves the service only in its events. */
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
        Instant createdAt,
        /** When its author last edited it; null if never. */
        Instant editedAt,
        /** When it was deleted; its name and text are gone then. */
        Instant deletedAt,
        /** Since when a moderator has hidden it; its text stays for an unhide, but no reader sees it. */
        Instant hiddenAt) {

    boolean hidden() {
        return hiddenAt != null;
    }

    boolean deleted() {
        return deletedAt != null;
    }

    /** What notification-service needs, on the internal topic. */
    CommentEvent posted() {
        return CommentEvent.posted(state());
    }

    CommentEvent edited() {
        return CommentEvent.edited(state());
    }

    CommentEvent deletedEvent() {
        return CommentEvent.deleted(state());
    }

    CommentEvent hiddenEvent() {
        return CommentEvent.hidden(state());
    }

    CommentEvent unhiddenEvent(Instant at) {
        return CommentEvent.unhidden(state(), at);
    }

    private CommentEvent.CommentPosted state() {
        return new CommentEvent.CommentPosted(id, postId, parentId, position, new Person(authorName, authorEmail), notifyOnReply,
                deleted() ? "" : CommentEvent.excerptOf(body), createdAt, editedAt, deletedAt, hiddenAt);
    }
}
