package org.replyensemble.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.contract.EventContract;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON Schemas are the published contract: the records must produce valid events (checked by
 * a JSON Schema validator, formats asserted), and the readers must be strict about what they need
 * and tolerant of what they do not know.
 */
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
    void erasureRequestsCarryTheAddressAndSealedOnesOnlyTheSubject() {
        String subject = "ab".repeat(32);
        ErasureEvent requested = ErasureEvent.requested(subject, "arrow.durfee@example.org", Instant.parse("2007-04-01T10:00:00Z"));
        ErasureEvent sealed = ErasureEvent.sealed(subject, Instant.parse("2007-04-08T10:00:00Z"));
        assertThat(EventContract.violations(Topics.ERASURES, EventJson.write(requested))).isEmpty();
        assertThat(EventContract.violations(Topics.ERASURES, EventJson.write(sealed))).isEmpty();
        assertThat(EventJson.write(sealed)).doesNotContain("@");
        assertThat(EventJson.readErasureEvent(EventJson.write(requested))).contains(requested);
        assertThat(EventJson.readErasureEvent(EventJson.write(sealed))).contains(sealed);
        assertThat(EventJson.readErasureEvent("{\"type\":\"ErasureDoubted\"}")).isEmpty();
        assertThatThrownBy(() -> EventJson.readErasureEvent(EventJson.write(requested).replace("arrow.durfee@example.org", "")
                .replace("\"email\":\"\"", "\"email\":null")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("email is required");
        assertThat(EventContract.violations(Topics.ERASURES, EventJson.write(ErasureEvent.sealed("not-a-hash", Instant.now()))))
                .isNotEmpty();
    }

    @Test
    void theRecordsWriteEventsValidAgainstTheirSchemas() {
        assertThat(EventContract.violations(Topics.POSTS, EventJson.write(samplePost()))).isEmpty();
        assertThat(EventContract.violations(Topics.COMMENTS, EventJson.write(sampleComment()))).isEmpty();
        CommentEvent topLevel = CommentEvent.posted(new CommentEvent.CommentPosted(UUID.randomUUID(), POST, null, 1,
                new Person("Ann", "ann@example.org"), false, "", Instant.now()));
        assertThat(EventContract.violations(Topics.COMMENTS, EventJson.write(topLevel))).isEmpty();
        assertThat(JSON.readTree(EventJson.write(sampleComment())).at("/comment/notify").asBoolean()).isTrue();
    }

    @Test
    void editsAndDeletionsCarryTheCommentsStateAndAreValid() {
        CommentEvent.CommentPosted posted = sampleComment().comment();
        Instant later = posted.createdAt().plusSeconds(60);
        CommentEvent edited = CommentEvent.edited(new CommentEvent.CommentPosted(posted.id(), POST, posted.parentId(), 8,
                posted.author(), true, "Hi Chuck, fixed", posted.createdAt(), later, null));
        CommentEvent deleted = CommentEvent.deleted(new CommentEvent.CommentPosted(posted.id(), POST, posted.parentId(), 8,
                new Person(CommentEvent.DELETED_NAME, "arrow.durfee@example.org"), true, "", posted.createdAt(), later, later));
        CommentEvent hidden = CommentEvent.hidden(new CommentEvent.CommentPosted(posted.id(), POST, posted.parentId(), 8,
                posted.author(), true, "Hi Chuck", posted.createdAt(), null, null, later));
        CommentEvent unhidden = CommentEvent.unhidden(posted, later.plusSeconds(1));
        for (CommentEvent event : List.of(edited, deleted, hidden, unhidden)) {
            assertThat(EventContract.violations(Topics.COMMENTS, EventJson.write(event))).isEmpty();
            assertThat(EventJson.readCommentEvent(EventJson.write(event)).ofType(CommentEvent.TYPES)).contains(event);
            assertThat(EventJson.readCommentEvent(EventJson.write(event)).ofType(java.util.Set.of(CommentEvent.POSTED))).isEmpty();
        }
        assertThat(edited.type()).isEqualTo("CommentEdited");
        assertThat(deleted.type()).isEqualTo("CommentDeleted");
        assertThat(hidden.type()).isEqualTo("CommentHidden");
        assertThat(unhidden.type()).isEqualTo("CommentUnhidden");
        assertThatThrownBy(() -> EventJson.readCommentEvent(EventJson.write(hidden).replaceAll("\"hiddenAt\":\"[^\"]+\"", "\"hiddenAt\":null")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("comment.hiddenAt is required");
        assertThat(JSON.readTree(EventJson.write(deleted)).at("/comment/excerpt").asString()).isEmpty();
        assertThatThrownBy(() -> EventJson.readCommentEvent(EventJson.write(deleted).replaceAll("\"deletedAt\":\"[^\"]+\"", "\"deletedAt\":null")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("comment.deletedAt is required");
        assertThatThrownBy(() -> EventJson.readCommentEvent(EventJson.write(edited).replaceAll("\"editedAt\":\"[^\"]+\"", "\"editedAt\":null")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("comment.editedAt is required");
    }

    @Test
    void everyFieldTheRecordsWriteIsDeclaredInTheSchema() {
        String json = EventJson.write(sampleComment()).replaceFirst("\\{", "{\"addedLater\":1,");
        assertThat(EventContract.violations(Topics.COMMENTS, json)).containsExactly("/addedLater: not declared in the schema");
        String nested = EventJson.write(samplePost()).replace("\"slug\":", "\"draft\":true,\"slug\":");
        assertThat(EventContract.violations(Topics.POSTS, nested)).containsExactly("/post/draft: not declared in the schema");
    }

    @Test
    void theValidatorRejectsWhatBreaksTheSchemaAndSaysWhere() {
        String good = EventJson.write(sampleComment());
        assertThat(EventContract.violations(Topics.COMMENTS, good.replace(POST.toString(), "post-42")))
                .anySatisfy(problem -> assertThat(problem).startsWith("/postId:").contains("uuid"));
        assertThat(EventContract.violations(Topics.COMMENTS, good.replace("arrow.durfee@example.org", "arrow at example")))
                .anySatisfy(problem -> assertThat(problem).startsWith("/comment/author/email:").contains("email"));
        assertThat(EventContract.violations(Topics.COMMENTS, good.replace("2007-04-01T10:00:00Z", "yesterday")))
                .anySatisfy(problem -> assertThat(problem).contains("date-time"));
        assertThat(EventContract.violations(Topics.COMMENTS, good.replace("\"position\":8", "\"position\":0")))
                .anySatisfy(problem -> assertThat(problem).startsWith("/comment/position:"));
        assertThat(EventContract.violations(Topics.COMMENTS, good.replace("\"schemaVersion\":1", "\"schemaVersion\":2")))
                .anySatisfy(problem -> assertThat(problem).startsWith("/schemaVersion:"));
        assertThat(EventContract.violations(Topics.COMMENTS, good.replace("\"CommentPosted\"", "\"CommentPinned\"")))
                .anySatisfy(problem -> assertThat(problem).startsWith("/type:"));
        assertThat(EventContract.violations(Topics.COMMENTS, good.replace("\"notify\":true,", "")))
                .anySatisfy(problem -> assertThat(problem).contains("notify"));
        assertThat(EventContract.violations(Topics.POSTS, "{not json")).singleElement().asString().startsWith("not JSON");
    }

    @Test
    void aProducedRecordHoldsOnlyWithTheKeyAndHeadersItsPayloadSays() {
        CommentEvent event = sampleComment();
        ConsumerRecord<String, String> record = record(POST.toString(), EventJson.write(event),
                event.eventId().toString(), CommentEvent.POSTED, "1");
        EventContract.assertHolds(record);

        assertThat(EventContract.violations(record(POST.toString(), EventJson.write(event), UUID.randomUUID().toString(),
                CommentEvent.POSTED, "1"))).singleElement().asString().startsWith("header event-id is");
        assertThat(EventContract.violations(record(POST.toString(), EventJson.write(event), event.eventId().toString(),
                "CommentEdited", "1"))).singleElement().asString().startsWith("header event-type is 'CommentEdited'");
        assertThat(EventContract.violations(record(POST.toString(), EventJson.write(event), event.eventId().toString(),
                CommentEvent.POSTED, null))).singleElement().asString().isEqualTo("header schema-version present 0 times, expected once");
        assertThat(EventContract.violations(record(UUID.randomUUID().toString(), EventJson.write(event), event.eventId().toString(),
                CommentEvent.POSTED, "1"))).singleElement().asString().startsWith("key ");
        assertThatThrownBy(() -> EventContract.assertHold(List.of(record(POST.toString(), "{}", null, null, null))))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(Topics.COMMENTS + "-0@7: /: required property 'eventId' not found");
    }

    @Test
    void eventsReadBackAsWritten() {
        CommentEvent comment = sampleComment();
        PostEvent post = samplePost();
        assertThat(EventJson.readCommentEvent(EventJson.write(comment))).isEqualTo(new EventRead.Known<>(comment));
        assertThat(EventJson.readPostEvent(EventJson.write(post)).known()).contains(post);
    }

    @Test
    void unknownFieldsAreIgnoredSoProducersCanAddFields() {
        String json = EventJson.write(sampleComment()).replaceFirst("\\{", "{\"addedLater\":{\"x\":1},")
                .replace("\"notify\":", "\"mood\":\"glad\",\"notify\":");
        assertThat(EventJson.readCommentEvent(json).known().orElseThrow().comment().position()).isEqualTo(8);
    }

    @Test
    void anUnknownTypeIsReturnedUnparsedSoProducersCanAddTypes() {
        // A later type may carry a payload of a different shape: nothing of it is parsed.
        String pinned = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"CommentPinned\",\"schemaVersion\":3,"
                + "\"postId\":\"" + POST + "\",\"comment\":{\"position\":\"not a number\"},\"edit\":[1,2]}";
        EventRead<CommentEvent> read = EventJson.readCommentEvent(pinned);
        assertThat(read).isEqualTo(new EventRead.UnknownType<CommentEvent>("CommentPinned"));
        assertThat(read.known()).isEmpty();
        assertThat(EventJson.readPostEvent("{\"type\":\"PostDeleted\"}").type()).isEqualTo("PostDeleted");
    }

    @Test
    void aConsumerThatNamesTheTypesItHandlesSkipsTheOthersEvenWhenThisModuleKnowsThem() {
        PostEvent updated = PostEvent.of(PostEvent.UPDATED, samplePost().post(), Instant.now());
        EventRead<PostEvent> read = EventJson.readPostEvent(EventJson.write(updated));
        assertThat(read.ofType(PostEvent.TYPES)).contains(updated);
        assertThat(read.ofType(java.util.Set.of(PostEvent.PUBLISHED))).isEmpty();
    }

    @Test
    void recordsThatCanNeverBeProcessedSayWhy() {
        String good = EventJson.write(sampleComment());
        assertThatThrownBy(() -> EventJson.readCommentEvent("{not json")).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("not a CommentEvent");
        assertThatThrownBy(() -> EventJson.readCommentEvent("[1, 2]")).hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> EventJson.readCommentEvent(good.replace("\"schemaVersion\":1", "\"schemaVersion\":2")))
                .hasMessageContaining("unsupported schemaVersion 2");
        assertThatThrownBy(() -> EventJson.readCommentEvent(good.replace("\"email\":\"arrow.durfee@example.org\"", "\"email\":null")))
                .hasMessageContaining("comment.author.email is required");
        assertThatThrownBy(() -> EventJson.readCommentEvent(good.replace("\"position\":8", "\"position\":\"eight\"")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("not a CommentEvent");
        assertThatThrownBy(() -> EventJson.readPostEvent("{\"type\":\"PostPublished\"}"))
                .hasMessageContaining("eventId is required").hasMessageContaining("post is required");
        assertThatThrownBy(() -> EventJson.readPostEvent("{}")).hasMessageContaining("type is required");
        assertThatThrownBy(() -> EventJson.readPostEvent("{\"type\":7}")).hasMessageContaining("type is required as a string");
        assertThatThrownBy(() -> EventJson.readPostEvent("{\"type\":\" \"}")).hasMessageContaining("type is required");
        assertThatThrownBy(() -> EventJson.readPostEvent("")).hasMessageContaining("empty");
    }

    @Test
    void excerptsAreCutOnAWordBoundary() {
        String body = "word ".repeat(300);
        String excerpt = CommentEvent.excerptOf(body);
        assertThat(excerpt).hasSizeLessThanOrEqualTo(CommentEvent.EXCERPT_LENGTH + 1).endsWith("word…");
        assertThat(CommentEvent.excerptOf("  short  ")).isEqualTo("short");
        assertThat(EventContract.violations(Topics.COMMENTS, EventJson.write(CommentEvent.posted(new CommentEvent.CommentPosted(
                UUID.randomUUID(), POST, null, 1, new Person("Ann", "ann@example.org"), true, excerpt, Instant.now()))))).isEmpty();
    }

    private static ConsumerRecord<String, String> record(String key, String value, String eventId, String type, String version) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(Topics.COMMENTS, 0, 7, key, value);
        add(record, EventHeaders.EVENT_ID, eventId);
        add(record, EventHeaders.EVENT_TYPE, type);
        add(record, EventHeaders.SCHEMA_VERSION, version);
        return record;
    }

    private static void add(ConsumerRecord<String, String> record, String name, String value) {
        if (value != null) {
            record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
