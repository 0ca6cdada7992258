package org.replyensemble.events;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * An event on {@link Topics#POSTS}. It always carries the post's whole current state, so a new
 * consumer builds its replica from the (compacted) topic alone; {@code post.revision} orders
 * the states of one post and lets a replica ignore a stale one.
 */
public record PostEvent(
        UUID eventId,
        String type,
        int schemaVersion,
        Instant occurredAt,
        UUID postId,
        PostState post) implements Event {

    public static final String PUBLISHED = "PostPublished";
    public static final String UPDATED = "PostUpdated";
    /** Every type this build knows on the topic: the schema's type enum and the AsyncAPI header enum list exactly these. */
    public static final Set<String> TYPES = Set.of(PUBLISHED, UPDATED);
    public static final int SCHEMA_VERSION = 1;

    public record PostState(
            UUID id,
            String slug,
            String title,
            String body,
            Person author,
            Instant publishedAt,
            boolean commentsOpen,
            long revision) {
    }

    public static PostEvent of(String type, PostState post, Instant occurredAt) {
        return new PostEvent(UUID.randomUUID(), type, SCHEMA_VERSION, occurredAt, post.id(), post);
    }
}
