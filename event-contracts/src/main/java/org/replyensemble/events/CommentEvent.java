package org.replyensemble.events;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An event on {@link Topics#COMMENTS}: what notification-service needs to decide and write the
 * reply emails, without asking comment-service anything. Every type carries the comment's whole
 * current state in {@code comment} (like the post events carry the post's), so a consumer that
 * missed an earlier event of the comment still ends up with its latest state:
 * <ul>
 * <li>{@value #POSTED}: a new comment at its position;</li>
 * <li>{@value #EDITED}: its author changed the text (same position; {@code editedAt} set, the
 * excerpt is the new text's);</li>
 * <li>{@value #DELETED}: its author deleted it; it keeps its position as "[deleted]" ({@code deletedAt}
 * set, an empty excerpt, the author's name replaced by "[deleted]"), by its author or a moderator.
 * Mail not yet sent for it is cancelled.</li>
 * <li>{@value #HIDDEN}: a moderator (the post's author or an operator) took it out of the public
 * thread ({@code hiddenAt} set; the text stays, for an unhide). Mail not yet sent for it is cancelled.</li>
 * <li>{@value #UNHIDDEN}: a moderator put it back ({@code hiddenAt} null again); cancelled mail stays cancelled.</li>
 * </ul>
 * One post's events are in the order they happened (the outbox appends them under the post's
 * replica row lock); a deletion is final, and an edit older than the state held is ignored.
 */
public record CommentEvent(
        UUID eventId,
        String type,
        int schemaVersion,
        Instant occurredAt,
        UUID postId,
        CommentPosted comment) implements Event {

    public static final String POSTED = "CommentPosted";
    /** Every type this build knows on the topic: the schema's type enum and the AsyncAPI header enum list exactly these. */
    public static final String EDITED = "CommentEdited";
    public static final String DELETED = "CommentDeleted";
    public static final String HIDDEN = "CommentHidden";
    public static final String UNHIDDEN = "CommentUnhidden";
    public static final Set<String> TYPES = Set.of(POSTED, EDITED, DELETED, HIDDEN, UNHIDDEN);
    /** The name a deleted comment shows, in the events and on the pages. */
    public static final String DELETED_NAME = "[deleted]";
    public static final int SCHEMA_VERSION = 1;
    /** Emails quote an excerpt, never a whole comment. */
    public static final int EXCERPT_LENGTH = 500;

    public record CommentPosted(
            UUID id,
            UUID postId,
            UUID parentId,
            int position,
            Person author,
            /** The author asked to be emailed about later replies (JSON field {@code notify}). */
            @JsonProperty("notify") boolean notifyOnReply,
            String excerpt,
            Instant createdAt,
            /** When its author last edited it; null if never. */
            Instant editedAt,
            /** When it was deleted; null while it stands. */
            Instant deletedAt,
            /** Since when a moderator has hidden it from the public thread; null while it is shown. */
            Instant hiddenAt) {

        /** A comment as posted: never edited, not deleted, not hidden. */
        public CommentPosted(UUID id, UUID postId, UUID parentId, int position, Person author, boolean notifyOnReply,
                String excerpt, Instant createdAt) {
            this(id, postId, parentId, position, author, notifyOnReply, excerpt, createdAt, null, null, null);
        }

        /** A comment that was never hidden. */
        public CommentPosted(UUID id, UUID postId, UUID parentId, int position, Person author, boolean notifyOnReply,
                String excerpt, Instant createdAt, Instant editedAt, Instant deletedAt) {
            this(id, postId, parentId, position, author, notifyOnReply, excerpt, createdAt, editedAt, deletedAt, null);
        }

        public boolean deleted() {
            return deletedAt != null;
        }
    }

    public static CommentEvent posted(CommentPosted comment) {
        return new CommentEvent(UUID.randomUUID(), POSTED, SCHEMA_VERSION, comment.createdAt(), comment.postId(), comment);
    }

    /** The comment's state after its author's edit ({@code editedAt} set). */
    public static CommentEvent edited(CommentPosted comment) {
        return new CommentEvent(UUID.randomUUID(), EDITED, SCHEMA_VERSION, comment.editedAt(), comment.postId(), comment);
    }

    /** The comment's state once a moderator hid it ({@code hiddenAt} set). */
    public static CommentEvent hidden(CommentPosted comment) {
        return new CommentEvent(UUID.randomUUID(), HIDDEN, SCHEMA_VERSION, comment.hiddenAt(), comment.postId(), comment);
    }

    /** The comment's state once a moderator showed it again ({@code hiddenAt} null), at {@code at}. */
    public static CommentEvent unhidden(CommentPosted comment, Instant at) {
        return new CommentEvent(UUID.randomUUID(), UNHIDDEN, SCHEMA_VERSION, at, comment.postId(), comment);
    }

    /** The comment's state after its deletion ({@code deletedAt} set, no text). */
    public static CommentEvent deleted(CommentPosted comment) {
        return new CommentEvent(UUID.randomUUID(), DELETED, SCHEMA_VERSION, comment.deletedAt(), comment.postId(), comment);
    }

    /** Cuts a body to {@link #EXCERPT_LENGTH} characters on a word boundary where there is one. */
    public static String excerptOf(String body) {
        String trimmed = body.strip();
        if (trimmed.length() <= EXCERPT_LENGTH) {
            return trimmed;
        }
        int cut = trimmed.lastIndexOf(' ', EXCERPT_LENGTH - 1);
        if (cut < EXCERPT_LENGTH / 2) {
            cut = EXCERPT_LENGTH - 1;
        }
        return trimmed.substring(0, cut).stripTrailing() + "…";
    }
}
