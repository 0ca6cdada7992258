package org.replyensemble.examples.commentevents;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads blog.comments.v1 as a tolerant reader (see the application's description). */
@Component
class CommentEventsListener {

    static final String TOPIC = "blog.comments.v1";
    private static final Logger log = LoggerFactory.getLogger(CommentEventsListener.class);
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final PostActivity activity;

    CommentEventsListener(PostActivity activity) {
        this.activity = activity;
    }

    @KafkaListener(topics = TOPIC)
    void on(ConsumerRecord<String, String> record) {
        JsonNode event = parse(record.value());
        JsonNode typeField = event.path("type");
        if (!typeField.isString() || typeField.asString().isBlank()) {
            throw new UnreadableEventException("no type: not an event of this topic");
        }
        String type = typeField.asString();
        if (!CommentPosted.TYPE.equals(type)) {
            // Not an error: the producer may add event types before we handle them.
            log.debug("Skipped a {} event at {}-{}@{}", type, record.topic(), record.partition(), record.offset());
            return;
        }
        CommentPosted posted = JSON.treeToValue(event, CommentPosted.class);
        if (posted.schemaVersion() == null || posted.schemaVersion() != CommentPosted.SCHEMA_VERSION) {
            throw new UnreadableEventException("unsupported schemaVersion " + posted.schemaVersion()
                    + " (this consumer reads " + CommentPosted.SCHEMA_VERSION + ")");
        }
        requireFields(posted);
        boolean counted = activity.record(posted);
        if (!counted) {
            log.debug("Event {} was seen before (a redelivery): nothing done", posted.eventId());
        }
    }

    private static JsonNode parse(String value) {
        try {
            JsonNode event = value == null ? null : JSON.readTree(value);
            if (event == null || !event.isObject()) {
                throw new UnreadableEventException("not a JSON object");
            }
            return event;
        } catch (JacksonException e) {
            throw new UnreadableEventException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void requireFields(CommentPosted posted) {
        List<String> missing = new ArrayList<>();
        if (posted.eventId() == null) {
            missing.add("eventId");
        }
        if (posted.postId() == null) {
            missing.add("postId");
        }
        if (posted.comment() == null || posted.comment().id() == null || posted.comment().position() == null) {
            missing.add("comment.id and comment.position");
        }
        if (!missing.isEmpty()) {
            throw new UnreadableEventException("missing " + String.join(", ", missing));
        }
    }
}
