package org.replyensemble.comments.comments;

import org.replyensemble.testing.TopicReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.replyensemble.comments.CommentServiceTest;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Topics;
import org.replyensemble.events.contract.EventContract;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

public class CommentApiTest extends CommentServiceTest {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PROBLEM = "https://replyensemble.org/problems/";

    @Test
    void aCommentIs201WithItsPositionAndTheAuthorsNameButNeverTheAddress() throws Exception {
        UUID postId = givenPost("First thread");

        String answer = comment(postId, newComment("Ann", "ann@example.com", "First!"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", org.hamcrest.Matchers.startsWith("/api/comments/")))
                .andExpect(jsonPath("$.postId").value(postId.toString()))
                .andExpect(jsonPath("$.parentId").value(nullValue()))
                .andExpect(jsonPath("$.position").value(1))
                .andExpect(jsonPath("$.author.name").value("Ann"))
                .andExpect(jsonPath("$.body").value("First!"))
                .andExpect(jsonPath("$.createdAt").isString())
                .andReturn().getResponse().getContentAsString();
        assertThat(answer).doesNotContain("@");
        assertThat(JSON.readTree(answer).get("author").propertyNames()).containsExactly("name");

        comment(postId, newComment("Bob", "bob@example.com", "Second")).andExpect(jsonPath("$.position").value(2));
    }

    @Test
    void aCommentEventReachesTheTopicKeyedByPostWithTheAddress() throws Exception {
        UUID postId = givenPost("Evented thread");
        String first = idOf(comment(postId, newComment("Ann", "Ann@Example.com", "Hello there")));
        Map<String, Object> quiet = newComment("Bob", "bob@example.com", "x ".repeat(400));
        quiet.put("notify", false);
        quiet.put("parentId", first);
        String second = idOf(comment(postId, quiet));

        try (TopicReader topic = new TopicReader(bootstrapServers, Topics.COMMENTS)) {
            List<ConsumerRecord<String, String>> records = await().atMost(WAIT)
                    .until(() -> topic.withKey(postId.toString()), found -> found.size() >= 2);
            EventContract.assertHold(records); // valid against the schema, with key and headers as the payload says
            List<CommentEvent> events = records.stream().map(r -> EventJson.readCommentEvent(r.value()).known().orElseThrow()).toList();
            assertThat(events).extracting(e -> e.comment().id().toString()).containsExactly(first, second);

            CommentEvent.CommentPosted ann = events.get(0).comment();
            assertThat(events.get(0).type()).isEqualTo(CommentEvent.POSTED);
            assertThat(ann.postId()).isEqualTo(postId);
            assertThat(ann.position()).isEqualTo(1);
            assertThat(ann.parentId()).isNull();
            assertThat(ann.author().name()).isEqualTo("Ann");
            assertThat(ann.author().email()).isEqualTo("Ann@Example.com");
            assertThat(ann.notifyOnReply()).isTrue();
            assertThat(ann.excerpt()).isEqualTo("Hello there");

            CommentEvent.CommentPosted bob = events.get(1).comment();
            assertThat(bob.position()).isEqualTo(2);
            assertThat(bob.parentId()).hasToString(first);
            assertThat(bob.notifyOnReply()).isFalse();
            assertThat(bob.excerpt()).hasSizeLessThanOrEqualTo(CommentEvent.EXCERPT_LENGTH).endsWith("…");
        }
    }

    @Test
    void theThreadListsCommentsByPositionWithDepthAndNoAddress() throws Exception {
        UUID postId = givenPost("Deep thread");
        String one = idOf(comment(postId, newComment("Ann", "ann@example.com", "one")));
        String two = idOf(comment(postId, reply(newComment("Bob", "bob@example.com", "two"), one)));
        String three = idOf(comment(postId, reply(newComment("Cy", "cy@example.com", "three"), two)));
        String four = idOf(comment(postId, newComment("Dee", "dee@example.com", "four")));
        String five = idOf(comment(postId, reply(newComment("Eve", "eve@example.com", "five"), one)));

        String thread = mvc.perform(get("/api/posts/" + postId + "/comments"))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(thread).doesNotContain("@");
        JsonNode page = JSON.readTree(thread);
        assertThat(page.get("totalElements").asLong()).isEqualTo(5);
        assertThat(page.get("totalPages").asInt()).isEqualTo(1);
        JsonNode list = page.get("content");
        assertThat(list.size()).isEqualTo(5);
        assertThat(list.valueStream().map(c -> c.get("id").asString())).containsExactly(one, two, three, four, five);
        assertThat(list.valueStream().map(c -> c.get("position").asInt())).containsExactly(1, 2, 3, 4, 5);
        assertThat(list.valueStream().map(c -> c.get("depth").asInt())).containsExactly(0, 1, 2, 0, 1);
        assertThat(list.valueStream().map(c -> c.get("parentId").isNull() ? null : c.get("parentId").asString()))
                .containsExactly(null, one, two, null, one);
        assertThat(list.valueStream().map(c -> c.get("author").get("name").asString()))
                .containsExactly("Ann", "Bob", "Cy", "Dee", "Eve");

        String single = mvc.perform(get("/api/comments/" + three))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.position").value(3))
                .andExpect(jsonPath("$.depth").value(2))
                .andExpect(jsonPath("$.parentId").value(two))
                .andExpect(jsonPath("$.body").value("three"))
                .andReturn().getResponse().getContentAsString();
        assertThat(single).doesNotContain("@");
    }

    @Test
    void aPostUnknownToTheReplicaIs404AndStoresNothing() throws Exception {
        long comments = rows("comment");
        long outbox = rows("outbox_message");
        UUID unknown = UUID.randomUUID();

        comment(unknown, newComment("Ann", "ann@example.com", "Anyone here?"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEM + "post-not-found"));
        mvc.perform(get("/api/posts/" + unknown + "/comments"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(PROBLEM + "post-not-found"));
        mvc.perform(get("/api/posts/not-a-uuid/comments")).andExpect(status().isNotFound());
        mvc.perform(get("/api/comments/" + UUID.randomUUID()))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(PROBLEM + "comment-not-found"));

        assertThat(rows("comment")).isEqualTo(comments);
        assertThat(rows("outbox_message")).isEqualTo(outbox);
    }

    @Test
    void closedCommentsAre409AndStoreNothing() throws Exception {
        UUID postId = givenPost("Soon closed");
        comment(postId, newComment("Ann", "ann@example.com", "Before closing")).andExpect(status().isCreated());
        publish(postState(postId, "Soon closed", false, 2));
        await().atMost(WAIT).until(() -> !replica.find(postId).orElseThrow().commentsOpen());
        long comments = rows("comment");
        long outbox = rows("outbox_message");

        comment(postId, newComment("Bob", "bob@example.com", "Too late"))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEM + "comments-closed"));

        assertThat(rows("comment")).isEqualTo(comments);
        assertThat(rows("outbox_message")).isEqualTo(outbox);
        mvc.perform(get("/api/posts/" + postId + "/comments")).andExpect(jsonPath("$.content.length()").value(1));
    }

    @Test
    void aParentFromAnotherThreadOrUnknownIs422AndLeavesNoGap() throws Exception {
        UUID elsewhere = givenPost("Other thread");
        String foreign = idOf(comment(elsewhere, newComment("Ann", "ann@example.com", "elsewhere")));
        UUID postId = givenPost("This thread");
        comment(postId, newComment("Bob", "bob@example.com", "here")).andExpect(jsonPath("$.position").value(1));
        long comments = rows("comment");
        long outbox = rows("outbox_message");

        for (String parent : List.of(foreign, UUID.randomUUID().toString())) {
            comment(postId, reply(newComment("Cy", "cy@example.com", "reply"), parent))
                    .andExpect(status().isUnprocessableContent())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value(PROBLEM + "parent-not-in-thread"));
        }

        assertThat(rows("comment")).isEqualTo(comments);
        assertThat(rows("outbox_message")).isEqualTo(outbox);
        comment(postId, newComment("Dee", "dee@example.com", "next")).andExpect(jsonPath("$.position").value(2));
    }

    static Stream<Arguments> invalidComments() {
        return Stream.of(
                invalid("body", c -> c.put("body", "")),
                invalid("body", c -> c.put("body", " \n\t ")),
                invalid("body", c -> c.remove("body")),
                invalid("body", c -> c.put("body", "b".repeat(10_001))),
                invalid("body", c -> c.put("body", "NUL \u0000 in a comment")),
                invalid("body", c -> c.put("body", "vertical \u000B tab")),
                invalid("body", c -> c.put("body", "non-character \uFFFE")),
                invalid("author", c -> c.remove("author")),
                invalid("author.name", c -> author(c).put("name", "  ")),
                invalid("author.name", c -> author(c).put("name", "n".repeat(101))),
                invalid("author.name", c -> author(c).put("name", "Ann\r\nBcc: everyone@example.com")),
                invalid("author.name", c -> author(c).put("name", "Ann\u0007")),
                invalid("author.email", c -> author(c).put("email", "ann")),
                invalid("author.email", c -> author(c).put("email", "ann@localhost")),
                invalid("author.email", c -> author(c).put("email", "")),
                invalid("author.email", c -> author(c).put("email", "a".repeat(250) + "@example.com")),
                invalid("author.email", c -> author(c).put("email", "ann\u0000@example.com")));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("invalidComments")
    void eachInvalidFieldIs400AndStoresNothing(String field, Map<String, Object> body, String shown) throws Exception {
        UUID postId = givenPost("Validated thread");
        long comments = rows("comment");
        long outbox = rows("outbox_message");

        comment(postId, body)
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEM + "invalid-request"))
                .andExpect(jsonPath("$.errors[*].field").value(hasItem(field)));

        assertThat(rows("comment")).isEqualTo(comments);
        assertThat(rows("outbox_message")).isEqualTo(outbox);
        comment(postId, newComment("Ann", "ann@example.com", "valid")).andExpect(jsonPath("$.position").value(1));
    }

    @Test
    void everyInvalidFieldIsListedAtOnceAndMalformedJsonIs400() throws Exception {
        UUID postId = givenPost("Strict thread");
        comment(postId, Map.of("body", "", "author", Map.of("name", "", "email", "nope")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("author.email", "author.name", "body")));
        for (String malformed : List.of("{\"body\": ", "", "{\"body\": \"x\", \"parentId\": \"not-a-uuid\"}")) {
            mvc.perform(post("/api/posts/" + postId + "/comments").contentType(MediaType.APPLICATION_JSON).content(malformed))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.type").value(PROBLEM + "malformed-request"));
        }
        assertThat(jdbc.sql("select count(*) from comment where post_id = ?").param(postId).query(Long.class).single()).isZero();
    }

    @Test
    void aBodyKeepsItsTabsAndLineBreaks() throws Exception {
        UUID postId = givenPost("Multi-line thread");
        comment(postId, newComment("Ann", "ann@example.com", "Line one\r\n\tindented line two\nשלום \u202Bembedded\u202C"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.body").value("Line one\r\n\tindented line two\nשלום \u202Bembedded\u202C"));
    }

    @Test
    void theThreadIsPagedInThreadOrder() throws Exception {
        UUID postId = givenPost("Paged thread");
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(idOf(comment(postId, newComment("Writer " + i, "w" + i + "@example.com", "comment " + i))));
        }
        String thread = "/api/posts/" + postId + "/comments";

        mvc.perform(get(thread).param("page", "1").param("size", "2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.content[*].id").value(org.hamcrest.Matchers.contains(ids.get(2), ids.get(3))))
                .andExpect(jsonPath("$.content[*].position").value(org.hamcrest.Matchers.contains(3, 4)))
                .andExpect(jsonPath("$.page").value(1))
                .andExpect(jsonPath("$.size").value(2))
                .andExpect(jsonPath("$.totalElements").value(5))
                .andExpect(jsonPath("$.totalPages").value(3));
        mvc.perform(get(thread)).andExpect(jsonPath("$.size").value(50)).andExpect(jsonPath("$.content.length()").value(5));
        mvc.perform(get(thread).param("page", String.valueOf(Integer.MAX_VALUE)).param("size", "200"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.content").isEmpty());
        mvc.perform(get(thread).param("page", "-1").param("size", "201"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("page", "size")));
        mvc.perform(get(thread).param("size", "many"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("size")));
    }

    ResultActions comment(UUID postId, Map<String, Object> body) throws Exception {
        return mvc.perform(post("/api/posts/" + postId + "/comments")
                .contentType(MediaType.APPLICATION_JSON).content(JSON.writeValueAsString(body)));
    }

    public static String idOf(ResultActions created) throws Exception {
        return JSON.readTree(created.andExpect(status().isCreated()).andReturn().getResponse().getContentAsString())
                .get("id").asString();
    }

    public static Map<String, Object> newComment(String name, String email, String body) {
        Map<String, Object> comment = new LinkedHashMap<>();
        comment.put("author", new LinkedHashMap<>(Map.of("name", name, "email", email)));
        comment.put("body", body);
        return comment;
    }

    private static Map<String, Object> reply(Map<String, Object> comment, String parentId) {
        comment.put("parentId", parentId);
        return comment;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> author(Map<String, Object> comment) {
        return (Map<String, Object>) comment.get("author");
    }

    private static Arguments invalid(String field, Consumer<Map<String, Object>> change) {
        Map<String, Object> comment = newComment("Valid Name", "valid@example.com", "A valid body");
        change.accept(comment);
        String shown = JSON.writeValueAsString(comment);
        return Arguments.of(field, comment, shown.length() > 80 ? shown.substring(0, 80) + "..." : shown);
    }
}
