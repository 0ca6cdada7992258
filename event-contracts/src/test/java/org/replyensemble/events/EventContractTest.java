package org.replyensemble.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON Schemas and the AsyncAPI document are the published contract: the records must match them. */
class EventContractTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final UUID POST = UUID.randomUUID();

    static PostEvent samplePost() {
        return PostEvent.of(PostEvent.PUBLISHED, new PostEvent.PostState(POST, "k2", "Vitamin K2", "body",
                new Person("Arrow Durfee", "arrow.durfee@example.org"), Instant.parse("2007-03-19T10:00:00Z"), true, 1),
                Instant.parse("2007-03-19T10:00:00Z"));
    }

    static CommentEvent sampleComment() {
        return CommentEvent.posted(new CommentEvent.CommentPosted(UUID.randomUUID(), POST, UUID.randomUUID(), 8,
                new Person("Arrow", "arrow.durfee@example.org"), true, "Hi Chuck", Instant.parse("2007-04-01T10:00:00Z")));
    }

    @Test
    void postEventsHaveExactlyTheFieldsOfTheirSchema() {
        assertMatchesSchema(EventJson.write(samplePost()), "events/post-event.v1.schema.json");
    }

    @Test
    void commentEventsHaveExactlyTheFieldsOfTheirSchema() {
        String json = EventJson.write(sampleComment());
        assertMatchesSchema(json, "events/comment-event.v1.schema.json");
        assertThat(JSON.readTree(json).at("/comment/notify").asBoolean()).isTrue();
    }

    @Test
    void eventsReadBackAsWritten() {
        CommentEvent comment = sampleComment();
        PostEvent post = samplePost();
        assertThat(EventJson.readCommentEvent(EventJson.write(comment))).isEqualTo(comment);
        assertThat(EventJson.readPostEvent(EventJson.write(post))).isEqualTo(post);
    }

    @Test
    void unknownFieldsAreIgnoredSoProducersCanAddFields() {
        String json = EventJson.write(sampleComment()).replaceFirst("\\{", "{\"addedLater\":{\"x\":1},");
        assertThat(EventJson.readCommentEvent(json).comment().position()).isEqualTo(8);
    }

    @Test
    void recordsThatCanNeverBeProcessedSayWhy() {
        String good = EventJson.write(sampleComment());
        assertThatThrownBy(() -> EventJson.readCommentEvent("{not json")).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("not a CommentEvent");
        assertThatThrownBy(() -> EventJson.readCommentEvent(good.replace("\"CommentPosted\"", "\"CommentEdited\"")))
                .hasMessageContaining("unknown event type CommentEdited");
        assertThatThrownBy(() -> EventJson.readCommentEvent(good.replace("\"schemaVersion\":1", "\"schemaVersion\":2")))
                .hasMessageContaining("unsupported schemaVersion 2");
        assertThatThrownBy(() -> EventJson.readCommentEvent(good.replace("\"email\":\"arrow.durfee@example.org\"", "\"email\":null")))
                .hasMessageContaining("comment.author.email is required");
        assertThatThrownBy(() -> EventJson.readPostEvent("{}"))
                .hasMessageContaining("eventId is required").hasMessageContaining("post is required");
        assertThatThrownBy(() -> EventJson.readPostEvent("")).hasMessageContaining("empty");
    }

    @Test
    void excerptsAreCutOnAWordBoundary() {
        String body = "word ".repeat(300);
        String excerpt = CommentEvent.excerptOf(body);
        assertThat(excerpt).hasSizeLessThanOrEqualTo(CommentEvent.EXCERPT_LENGTH + 1).endsWith("word…");
        assertThat(CommentEvent.excerptOf("  short  ")).isEqualTo("short");
    }

    @Test
    void theAsyncApiDocumentNamesTheTopicsTheCodeUses() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("events/asyncapi.yaml")) {
            String document = new String(in.readAllBytes());
            assertThat(document).contains("address: " + Topics.POSTS, "address: " + Topics.COMMENTS,
                    "post-event.v1.schema.json", "comment-event.v1.schema.json");
        }
    }

    private static void assertMatchesSchema(String json, String schemaResource) {
        JsonNode schema;
        try (InputStream in = EventContractTest.class.getClassLoader().getResourceAsStream(schemaResource)) {
            schema = JSON.readTree(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        List<String> problems = new ArrayList<>();
        compare(JSON.readTree(json), schema, schema, "", problems);
        assertThat(problems).isEmpty();
    }

    /** Same property names as the schema at every object level, required ones present and not null. */
    private static void compare(JsonNode value, JsonNode schemaNode, JsonNode root, String path, List<String> problems) {
        if (schemaNode.has("$ref")) {
            schemaNode = root.at(schemaNode.get("$ref").asString().substring(1));
        }
        if (!schemaNode.has("properties")) {
            return;
        }
        Set<String> declared = new TreeSet<>(schemaNode.get("properties").propertyNames());
        Set<String> present = new TreeSet<>(value.propertyNames());
        if (!declared.equals(present)) {
            problems.add(path + ": schema declares " + declared + " but the event has " + present);
        }
        for (JsonNode required : schemaNode.path("required")) {
            JsonNode field = value.get(required.asString());
            if (field == null || field.isNull()) {
                problems.add(path + "/" + required.asString() + " is required by the schema but missing");
            }
        }
        for (String name : declared) {
            JsonNode field = value.get(name);
            if (field != null && field.isObject()) {
                compare(field, schemaNode.get("properties").get(name), root, path + "/" + name, problems);
            }
        }
    }
}
