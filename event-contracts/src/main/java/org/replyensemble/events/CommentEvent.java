package org.replyensemble.events;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An event on {@link Topics#COMMENTS}: what notification-service needs to decide and write the
 * reply emails, without asking comment-service anything.
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
    public static final Set<String> TYPES = Set.of(POSTED);
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
            Instant createdAt) {
    }

    public static CommentEvent posted(CommentPosted comment) {
        return new CommentEvent(UUID.randomUUID(), POSTED, SCHEMA_VERSION, comment.createdAt(), comment.postId(), comment);
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
