package org.replyensemble.events;

import java.time.Instant;
import java.util.UUID;

/** The envelope every event shares: consumers deduplicate on {@link #eventId()}. */
public sealed interface Event permits PostEvent, CommentEvent {

    UUID eventId();

    String type();

    int schemaVersion();

    Instant occurredAt();

    UUID postId();
}
