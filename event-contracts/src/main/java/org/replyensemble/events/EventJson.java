package org.replyensemble.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads the events of {@link Topics}. Reading is strict about what a consumer needs
 * (known type, supported schema version, required fields) and lenient about the rest (unknown
 * fields are ignored, so producers can add fields without breaking consumers).
 */
public final class EventJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private EventJson() {
    }

    public static String write(Event event) {
        return MAPPER.writeValueAsString(event);
    }

    public static PostEvent readPostEvent(String json) {
        PostEvent event = parse(json, PostEvent.class);
        List<String> missing = envelopeProblems(event, List.of(PostEvent.PUBLISHED, PostEvent.UPDATED), PostEvent.SCHEMA_VERSION);
        PostEvent.PostState post = event.post();
        if (post == null) {
            missing.add("post is required");
        } else {
            require(missing, post.id(), "post.id");
            require(missing, post.slug(), "post.slug");
            require(missing, post.title(), "post.title");
            require(missing, post.author(), "post.author");
            if (post.author() != null) {
                require(missing, post.author().email(), "post.author.email");
            }
            if (post.id() != null && event.postId() != null && !post.id().equals(event.postId())) {
                missing.add("post.id differs from postId");
            }
        }
        failIfAny(missing);
        return event;
    }

    public static CommentEvent readCommentEvent(String json) {
        CommentEvent event = parse(json, CommentEvent.class);
        List<String> missing = envelopeProblems(event, List.of(CommentEvent.POSTED), CommentEvent.SCHEMA_VERSION);
        CommentEvent.CommentPosted comment = event.comment();
        if (comment == null) {
            missing.add("comment is required");
        } else {
            require(missing, comment.id(), "comment.id");
            require(missing, comment.postId(), "comment.postId");
            require(missing, comment.author(), "comment.author");
            if (comment.author() != null) {
                require(missing, comment.author().email(), "comment.author.email");
            }
            if (comment.position() < 1) {
                missing.add("comment.position must be 1 or more");
            }
            if (comment.postId() != null && event.postId() != null && !comment.postId().equals(event.postId())) {
                missing.add("comment.postId differs from postId");
            }
        }
        failIfAny(missing);
        return event;
    }

    private static <T> T parse(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new InvalidEventException("empty record value");
        }
        try {
            return MAPPER.readValue(json, type);
        } catch (JacksonException e) {
            throw new InvalidEventException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static List<String> envelopeProblems(Event event, List<String> knownTypes, int supportedVersion) {
        List<String> problems = new ArrayList<>();
        require(problems, event.eventId(), "eventId");
        require(problems, event.postId(), "postId");
        if (event.type() == null) {
            problems.add("type is required");
        } else if (!knownTypes.contains(event.type())) {
            problems.add("unknown event type " + event.type());
        }
        if (event.schemaVersion() != supportedVersion) {
            problems.add("unsupported schemaVersion " + event.schemaVersion() + " (this consumer reads " + supportedVersion + ")");
        }
        return problems;
    }

    private static void require(List<String> problems, Object value, String field) {
        if (Objects.isNull(value)) {
            problems.add(field + " is required");
        }
    }

    private static void failIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidEventException(String.join("; ", problems));
        }
    }
}
