package org.replyensemble.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads the events of {@link Topics}. Reading is a tolerant reader: strict about what
 * a consumer needs of a type it knows (supported schema version, required fields: otherwise an
 * {@link InvalidEventException}, which consumers dead-letter), lenient about the rest. Unknown
 * fields are ignored, so producers can add fields; an unknown event type is returned as
 * {@link EventRead.UnknownType} rather than failing, so producers can add event types to a topic
 * without breaking the consumers not yet upgraded.
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

    public static String write(ErasureEvent event) {
        return MAPPER.writeValueAsString(event);
    }

    /**
     * Reads a record of {@link Topics#ERASURES}: the subject always, the address in a request. An
     * unknown type comes back empty (skipped), like the other topics' tolerant readers.
     */
    public static java.util.Optional<ErasureEvent> readErasureEvent(String json) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json == null || json.isBlank() ? "null" : json);
        } catch (JacksonException e) {
            throw new InvalidEventException("not an ErasureEvent: " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidEventException("not an ErasureEvent: expected a JSON object");
        }
        String type = typeOf(tree);
        if (!ErasureEvent.TYPES.contains(type)) {
            return java.util.Optional.empty();
        }
        ErasureEvent event = bind(tree, ErasureEvent.class);
        List<String> problems = new ArrayList<>();
        require(problems, event.eventId(), "eventId");
        require(problems, event.subject(), "subject");
        if (event.schemaVersion() != ErasureEvent.SCHEMA_VERSION) {
            problems.add("unsupported schemaVersion " + event.schemaVersion());
        }
        if (ErasureEvent.REQUESTED.equals(type)) {
            require(problems, event.email(), "email");
        }
        failIfAny(problems);
        return java.util.Optional.of(event);
    }

    /** Reads a record of {@link Topics#POSTS}; an event of a type this build does not know comes back unparsed. */
    public static EventRead<PostEvent> readPostEvent(String json) {
        JsonNode tree = parseTree(json, PostEvent.class);
        String type = typeOf(tree);
        if (!PostEvent.TYPES.contains(type)) {
            return new EventRead.UnknownType<>(type);
        }
        PostEvent event = bind(tree, PostEvent.class);
        List<String> missing = envelopeProblems(event, PostEvent.SCHEMA_VERSION);
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
        return new EventRead.Known<>(event);
    }

    /** Reads a record of {@link Topics#COMMENTS}; an event of a type this build does not know comes back unparsed. */
    public static EventRead<CommentEvent> readCommentEvent(String json) {
        JsonNode tree = parseTree(json, CommentEvent.class);
        String type = typeOf(tree);
        if (!CommentEvent.TYPES.contains(type)) {
            return new EventRead.UnknownType<>(type);
        }
        CommentEvent event = bind(tree, CommentEvent.class);
        List<String> missing = envelopeProblems(event, CommentEvent.SCHEMA_VERSION);
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
            if (CommentEvent.EDITED.equals(type)) {
                require(missing, comment.editedAt(), "comment.editedAt");
            }
            if (CommentEvent.DELETED.equals(type)) {
                require(missing, comment.deletedAt(), "comment.deletedAt");
            }
            if (CommentEvent.HIDDEN.equals(type)) {
                require(missing, comment.hiddenAt(), "comment.hiddenAt");
            }
        }
        failIfAny(missing);
        return new EventRead.Known<>(event);
    }

    private static JsonNode parseTree(String json, Class<? extends Event> type) {
        if (json == null || json.isBlank()) {
            throw new InvalidEventException("empty record value");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidEventException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
        if (!tree.isObject()) {
            throw new InvalidEventException("not a " + type.getSimpleName() + ": expected a JSON object, got " + tree.getNodeType());
        }
        return tree;
    }

    /**
     * The one field every event of every version has. Without it a record cannot even be
     * recognised as an event of a type someone else knows, so it is poison, not skippable.
     */
    private static String typeOf(JsonNode tree) {
        JsonNode type = tree.get("type");
        if (type == null || !type.isString() || type.asString().isBlank()) {
            throw new InvalidEventException("type is required" + (type == null || type.isNull() ? "" : " as a string"));
        }
        return type.asString();
    }

    private static <T> T bind(JsonNode tree, Class<T> type) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JacksonException e) {
            throw new InvalidEventException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static List<String> envelopeProblems(Event event, int supportedVersion) {
        List<String> problems = new ArrayList<>();
        require(problems, event.eventId(), "eventId");
        require(problems, event.postId(), "postId");
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
