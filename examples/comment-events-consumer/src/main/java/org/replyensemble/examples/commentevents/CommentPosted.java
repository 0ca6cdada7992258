package org.replyensemble.examples.commentevents;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The part of a CommentPosted event (event-contracts' comment-event.v1.schema.json) this consumer
 * uses; everything else, present or added later, is ignored. It keeps no author address: this
 * consumer does not need one, and addresses are private.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record CommentPosted(UUID eventId, String type, Integer schemaVersion, UUID postId, Comment comment) {

    static final String TYPE = "CommentPosted";
    static final int SCHEMA_VERSION = 1;

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Comment(UUID id, Integer position, Instant createdAt) {
    }
}
