package org.replyensemble.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Each rule of the compatibility policy on a schema small enough to read in the test. */
class SchemaCompatibilityTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** An envelope with a type enum, a nested object, a $ref and an array: every shape the rules walk. */
    private static final String RELEASED = """
            {"type": "object", "required": ["type", "comment"],
             "properties": {
               "type": {"enum": ["CommentPosted"]},
               "schemaVersion": {"const": 1},
               "comment": {"type": "object", "required": ["id", "author"],
                 "properties": {
                   "id": {"type": "string", "format": "uuid"},
                   "parentId": {"type": ["string", "null"], "format": "uuid"},
                   "mood": {"enum": ["glad", "sad"]},
                   "author": {"$ref": "#/$defs/person"},
                   "excerpt": {"type": "string", "maxLength": 501, "description": "The start of the body."},
                   "tags": {"type": "array", "items": {"type": "string"}}}}},
             "$defs": {"person": {"type": "object", "required": ["email"],
               "properties": {"name": {"type": "string"}, "email": {"type": "string", "format": "email"}}}}}
            """;

    @Test
    void theSameSchemaIsCompatible() {
        assertThat(breaking(RELEASED)).isEmpty();
    }

    @Test
    void anOptionalPropertyMayBeAdded() {
        assertThat(breaking(RELEASED.replace("\"id\": {", "\"editedAt\": {\"type\": \"string\", \"format\": \"date-time\"}, \"id\": {")))
                .isEmpty();
    }

    @Test
    void aNewEventTypeMayBeAdded() {
        assertThat(breaking(RELEASED.replace("[\"CommentPosted\"]", "[\"CommentPosted\", \"CommentEdited\", \"CommentDeleted\"]")))
                .isEmpty();
    }

    @Test
    void annotationsMayChange() {
        String current = RELEASED.replace("The start of the body.", "The first 500 characters.")
                .replace("\"type\": \"object\", \"required\": [\"type\"", "\"title\": \"CommentEvent\", \"type\": \"object\", \"required\": [\"type\"");
        assertThat(breaking(current)).isEmpty();
        assertThat(SchemaCompatibility.sameContract(json(RELEASED), json(current))).isTrue();
    }

    @Test
    void aRemovedPropertyBreaksNamingIt() {
        assertThat(breaking(RELEASED.replace("\"name\": {\"type\": \"string\"}, ", "")))
                .containsExactly("comment.author.name: property removed");
    }

    @Test
    void aRemovedEventTypeBreaks() {
        String current = RELEASED.replace("[\"CommentPosted\"]", "[\"CommentEdited\"]");
        assertThat(breaking(current)).containsExactly("type: event type CommentPosted removed");
    }

    @Test
    void aChangedTypeBreaks() {
        assertThat(breaking(RELEASED.replace("\"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}",
                "\"tags\": {\"type\": \"array\", \"items\": {\"type\": \"integer\"}}")))
                .containsExactly("comment.tags[]: type changed from string to integer");
        assertThat(breaking(RELEASED.replace("\"parentId\": {\"type\": [\"string\", \"null\"]", "\"parentId\": {\"type\": \"string\"")))
                .containsExactly("comment.parentId: type changed from null|string to string");
    }

    @Test
    void aChangedFormatBreaks() {
        assertThat(breaking(RELEASED.replace("\"format\": \"email\"", "\"format\": \"idn-email\"")))
                .containsExactly("comment.author.email: format changed from \"email\" to \"idn-email\"");
        assertThat(breaking(RELEASED.replace("\"id\": {\"type\": \"string\", \"format\": \"uuid\"}", "\"id\": {\"type\": \"string\"}")))
                .containsExactly("comment.id: format changed from \"uuid\" to none");
    }

    @Test
    void aChangedConstBreaks() {
        assertThat(breaking(RELEASED.replace("{\"const\": 1}", "{\"const\": 2}")))
                .containsExactly("schemaVersion: const changed from 1 to 2");
    }

    @Test
    void anEnumNarrowedOrWidenedBeyondTheEventTypeBreaks() {
        assertThat(breaking(RELEASED.replace("[\"glad\", \"sad\"]", "[\"glad\"]")))
                .containsExactly("comment.mood: enum value sad removed");
        assertThat(breaking(RELEASED.replace("[\"glad\", \"sad\"]", "[\"glad\", \"sad\", \"puzzled\"]")))
                .containsExactly("comment.mood: enum value puzzled added (consumers of this version cannot know it)");
    }

    @Test
    void aNewRequiredPropertyBreaksAndSoDoesDroppingOne() {
        assertThat(breaking(RELEASED.replace("\"required\": [\"id\", \"author\"]", "\"required\": [\"id\", \"author\", \"excerpt\"]")))
                .containsExactly("comment.excerpt: new required property (events already on the topic lack it)");
        assertThat(breaking(RELEASED.replace("\"required\": [\"email\"]", "\"required\": []")))
                .containsExactly("comment.author.email: no longer required (consumers rely on it)");
    }

    @Test
    void anyOtherAssertionThatChangesBreaks() {
        assertThat(breaking(RELEASED.replace("\"maxLength\": 501", "\"maxLength\": 1000")))
                .containsExactly("comment.excerpt: maxLength changed from 501 to 1000");
        assertThat(breaking(RELEASED.replace("\"type\": \"object\", \"required\": [\"id\", \"author\"]",
                "\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"id\", \"author\"]")))
                .containsExactly("comment: additionalProperties changed from none to false");
    }

    @Test
    void everyBreakingChangeIsListed() {
        String current = RELEASED.replace("\"name\": {\"type\": \"string\"}, ", "").replace("{\"const\": 1}", "{\"const\": 2}");
        assertThat(breaking(current)).containsExactlyInAnyOrder("comment.author.name: property removed",
                "schemaVersion: const changed from 1 to 2");
    }

    @Test
    void aReferenceThatPointsNowhereIsAnErrorNotAPass() {
        assertThatThrownBy(() -> breaking(RELEASED.replace("\"#/$defs/person\"", "\"#/$defs/human\"")))
                .hasMessageContaining("points nowhere");
    }

    private static List<String> breaking(String current) {
        return SchemaCompatibility.breakingChanges(json(RELEASED), json(current));
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
