package org.replyensemble.posts.posts;

import org.replyensemble.testing.TopicReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.PostEvent;
import org.replyensemble.events.Topics;
import org.replyensemble.events.contract.EventContract;
import org.replyensemble.outbox.OutboxRelay;
import org.replyensemble.posts.PostServiceTest;
import org.replyensemble.testing.TestAccount;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostApiTest extends PostServiceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PROBLEM = "https://replyensemble.org/problems/";

    @Autowired
    Environment environment;

    @Autowired
    OutboxRelay relay;

    private TopicReader postsTopic;

    @BeforeAll
    void openTopic() {
        postsTopic = new TopicReader(bootstrapServers, Topics.POSTS);
    }

    @AfterAll
    void closeTopic() {
        postsTopic.close();
    }

    @Test
    void runsWithItsOwnConfigFile() {
        assertThat(environment.getProperty("spring.application.name")).isEqualTo("post-service");
        assertThat(environment.getProperty("http.max-body-size")).isEqualTo("1MB"); // server.port is the test's random one
    }

    @Test
    void publishingAnswers201WithTheAuthorsNameButNeverTheAddress() throws Exception {
        String answer = publish(newPost("Why K2 matters"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", startsWith("/api/posts/")))
                .andExpect(jsonPath("$.title").value("Why K2 matters"))
                .andExpect(jsonPath("$.slug").value("why-k2-matters"))
                .andExpect(jsonPath("$.author.name").value("Ann Author"))
                .andExpect(jsonPath("$.commentsOpen").value(true))
                .andExpect(jsonPath("$.publishedAt").isString())
                .andReturn().getResponse().getContentAsString();
        JsonNode post = JSON.readTree(answer);
        assertThat(answer).doesNotContain("ann@example.com").doesNotContain("@");
        assertThat(post.get("author").propertyNames()).containsExactly("name");

        String id = post.get("id").asString();
        String fetched = mvc.perform(get("/api/posts/" + id)).andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value(id))
                .andReturn().getResponse().getContentAsString();
        assertThat(fetched).doesNotContain("@");
    }

    @Test
    void aPublishedPostReachesTheTopicKeyedByIdWithTheAddress() throws Exception {
        String id = idOf(publish(BEA, withoutAuthor(newPost("Events carry the state"))).andExpect(status().isCreated()));

        List<ConsumerRecord<String, String>> records = await().atMost(Duration.ofSeconds(15))
                .until(() -> postsTopic.withKey(id), found -> !found.isEmpty());
        EventContract.assertHold(records); // valid against the schema, with key and headers as the payload says
        PostEvent event = EventJson.readPostEvent(records.get(0).value()).known().orElseThrow();
        assertThat(event.type()).isEqualTo(PostEvent.PUBLISHED);
        assertThat(event.postId()).hasToString(id);
        assertThat(event.post().author().email()).isEqualTo("Bea@Example.com");
        assertThat(event.post().author().name()).isEqualTo("Bea Author");
        assertThat(event.post().title()).isEqualTo("Events carry the state");
        assertThat(event.post().commentsOpen()).isTrue();
        assertThat(event.post().revision()).isEqualTo(1);
    }

    @Test
    void closingCommentsEmitsAnUpdatedEventWithRevision2() throws Exception {
        String id = idOf(publish(newPost("Closing soon")));

        String answer = mvc.perform(authorPatch("/api/posts/" + id).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"commentsOpen\": false}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.commentsOpen").value(false))
                .andExpect(jsonPath("$.title").value("Closing soon"))
                .andReturn().getResponse().getContentAsString();
        assertThat(answer).doesNotContain("@");

        List<PostEvent> events = await().atMost(Duration.ofSeconds(15))
                .until(() -> eventsOf(id), list -> list.size() >= 2);
        assertThat(events).extracting(PostEvent::type).containsExactly(PostEvent.PUBLISHED, PostEvent.UPDATED);
        PostEvent updated = events.get(1);
        assertThat(updated.post().revision()).isEqualTo(2);
        assertThat(updated.post().commentsOpen()).isFalse();
        assertThat(updated.post().author().email()).isEqualTo("ann@example.com");
    }

    @Test
    void aPatchThatChangesNothingEmitsNothing() throws Exception {
        String id = idOf(publish(newPost("Unchanged")));
        long outboxBefore = rows("outbox_message");

        mvc.perform(authorPatch("/api/posts/" + id).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"title\": \"Unchanged\", \"commentsOpen\": true}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.title").value("Unchanged"));

        assertThat(rows("outbox_message")).isEqualTo(outboxBefore);
        assertThat(jdbc.sql("select revision from post where id = ?").param(UUID.fromString(id)).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void editingTitleAndBodyBumpsTheRevision() throws Exception {
        String id = idOf(publish(newPost("First draft")));
        mvc.perform(authorPatch("/api/posts/" + id).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"title\": \"Second draft\", \"body\": \"Better body\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.title").value("Second draft"))
                .andExpect(jsonPath("$.body").value("Better body"))
                .andExpect(jsonPath("$.slug").value("first-draft"));
        mvc.perform(get("/api/posts/first-draft")).andExpect(jsonPath("$.title").value("Second draft"));
    }

    @Test
    void aTitleSeenBeforeGetsANumberedSlug() throws Exception {
        publish(newPost("Same title")).andExpect(jsonPath("$.slug").value("same-title"));
        publish(newPost("Same title")).andExpect(jsonPath("$.slug").value("same-title-2"));
        publish(newPost("Same Title!")).andExpect(jsonPath("$.slug").value("same-title-3"));
    }

    @Test
    void aChosenSlugThatIsTakenIs409AndStoresNothing() throws Exception {
        publish(with(newPost("Chosen"), post -> post.put("slug", "my-chosen-slug")))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.slug").value("my-chosen-slug"));
        long posts = rows("post");
        long outbox = rows("outbox_message");

        publish(with(newPost("Another"), post -> post.put("slug", "my-chosen-slug")))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEM + "slug-taken"))
                .andExpect(jsonPath("$.status").value(409));

        assertThat(rows("post")).isEqualTo(posts);
        assertThat(rows("outbox_message")).isEqualTo(outbox);
    }

    static Stream<Arguments> invalidPosts() {
        return Stream.of(
                invalid("title", post -> post.put("title", "   ")),
                invalid("title", post -> post.remove("title")),
                invalid("title", post -> post.put("title", "t".repeat(201))),
                invalid("title", post -> post.put("title", "NUL \u0000 in a title")),
                invalid("title", post -> post.put("title", "Two\nlines")),
                invalid("body", post -> post.put("body", "NUL \u0000 in a body")),
                invalid("body", post -> post.put("body", "escape \u001B[31m red")),
                invalid("body", post -> post.put("body", "C1 \u0085 control")),
                invalid("body", post -> post.put("body", "")),
                invalid("body", post -> post.put("body", "b".repeat(100_001))),
                invalid("slug", post -> post.put("slug", "Not A Slug")),
                invalid("slug", post -> post.put("slug", "s".repeat(121))),
                invalid("author.name", post -> author(post).put("name", " ")),
                invalid("author.name", post -> author(post).put("name", "n".repeat(101))),
                invalid("author.name", post -> author(post).put("name", "Ann\nBcc: all@example.com")),
                invalid("author.name", post -> author(post).put("name", "Ann\u202Egnp")),
                invalid("author.email", post -> author(post).put("email", "not-an-address")),
                invalid("author.email", post -> author(post).put("email", "ann@localhost")),
                invalid("author.email", post -> author(post).put("email", "a".repeat(250) + "@example.com")),
                invalid("author.email", post -> author(post).remove("email")),
                invalid("author.email", post -> author(post).put("email", "ann\u0000@example.com")));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("invalidPosts")
    void eachInvalidFieldIs400AndStoresNothing(String field, Map<String, Object> body, String description) throws Exception {
        long posts = rows("post");
        long outbox = rows("outbox_message");

        publish(body)
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEM + "invalid-request"))
                .andExpect(jsonPath("$.title").value("Invalid request"))
                .andExpect(jsonPath("$.errors[*].field").value(hasItem(field)))
                .andExpect(jsonPath("$.errors[0].message").isString());

        assertThat(rows("post")).isEqualTo(posts);
        assertThat(rows("outbox_message")).isEqualTo(outbox);
    }

    @Test
    void everyInvalidFieldIsListedAtOnce() throws Exception {
        Map<String, Object> body = new HashMap<>(Map.of("title", "", "body", " ",
                "author", Map.of("name", "", "email", "nope")));
        publish(body)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.containsInAnyOrder(
                        "author.email", "author.name", "body", "title")));
    }

    @Test
    void malformedJsonIs400Problem() throws Exception {
        long posts = rows("post");
        for (String body : List.of("{\"title\": \"Broken\",", "[]", "", "{\"title\": 5, \"body\": {}}")) {
            mvc.perform(authorPost("/api/posts").contentType(MediaType.APPLICATION_JSON).content(body))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value(PROBLEM + "malformed-request"));
        }
        mvc.perform(authorPatch("/api/posts/" + UUID.randomUUID()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"commentsOpen\": \"perhaps\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(PROBLEM + "malformed-request"));
        assertThat(rows("post")).isEqualTo(posts);
    }

    @Test
    void unknownPostsAre404Problems() throws Exception {
        for (String path : List.of("/api/posts/" + UUID.randomUUID(), "/api/posts/no-such-slug")) {
            mvc.perform(get(path))
                    .andExpect(status().isNotFound())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value(PROBLEM + "post-not-found"));
        }
        long outbox = rows("outbox_message");
        mvc.perform(authorPatch("/api/posts/" + UUID.randomUUID()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"commentsOpen\": false}"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value(PROBLEM + "post-not-found"));
        assertThat(rows("outbox_message")).isEqualTo(outbox);
    }

    @Test
    void emptyOrInvalidPatchesAre400AndChangeNothing() throws Exception {
        String id = idOf(publish(newPost("Patch me")));
        long outbox = rows("outbox_message");

        mvc.perform(authorPatch("/api/posts/" + id).contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(PROBLEM + "empty-patch"));
        mvc.perform(authorPatch("/api/posts/" + id).contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"  \"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(hasItem("title")));

        assertThat(rows("outbox_message")).isEqualTo(outbox);
        mvc.perform(get("/api/posts/" + id)).andExpect(jsonPath("$.title").value("Patch me"));
    }

    @Test
    void aNulOrAControlCharacterInAPatchIs400NamingTheFieldAndChangesNothing() throws Exception {
        String id = idOf(publish(newPost("Patch with NUL")));
        long outbox = rows("outbox_message");

        for (String patch : List.of("{\"title\": \"NUL \\u0000 title\"}", "{\"body\": \"NUL \\u0000 body\"}",
                "{\"body\": \"bell \\u0007\"}", "{\"title\": \"lone \\ud800 surrogate\"}")) {
            String field = patch.contains("title") ? "title" : "body";
            mvc.perform(authorPatch("/api/posts/" + id).contentType(MediaType.APPLICATION_JSON).content(patch))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder(field)));
        }

        assertThat(rows("outbox_message")).isEqualTo(outbox);
        mvc.perform(get("/api/posts/" + id)).andExpect(jsonPath("$.title").value("Patch with NUL"));
    }

    /** JSON can spell what UTF-16 cannot hold as text; PostgreSQL would store a lone surrogate as '?'. */
    @Test
    void loneSurrogatesAndNoncharactersAre400AndStoreNothing() throws Exception {
        long posts = rows("post");
        for (String title : List.of("lone \\ud800 high", "lone \\udc00 low", "non \\uffff character")) {
            mvc.perform(authorPost("/api/posts").contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"" + title
                            + "\", \"body\": \"b\", \"author\": {\"name\": \"Ann Author\", \"email\": \"ann@example.com\"}}"))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("title")));
        }
        assertThat(rows("post")).isEqualTo(posts);
    }

    @Test
    void aPostIsFoundBySlugOrById() throws Exception {
        String id = idOf(publish(with(newPost("Find me"), post -> post.put("slug", "find-me-here"))));
        mvc.perform(get("/api/posts/find-me-here")).andExpect(status().isOk()).andExpect(jsonPath("$.id").value(id));
        mvc.perform(get("/api/posts/" + id)).andExpect(status().isOk()).andExpect(jsonPath("$.slug").value("find-me-here"));
    }

    @Test
    void theListIsNewestFirstAndPaged() throws Exception {
        String first = idOf(publish(newPost("Oldest of three")));
        String second = idOf(publish(newPost("Middle of three")));
        String third = idOf(publish(newPost("Newest of three")));
        long total = rows("post");

        String page = mvc.perform(get("/api/posts").param("page", "0").param("size", "2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.content[0].id").value(third))
                .andExpect(jsonPath("$.content[1].id").value(second))
                .andExpect(jsonPath("$.page").value(0))
                .andExpect(jsonPath("$.size").value(2))
                .andExpect(jsonPath("$.totalElements").value(total))
                .andExpect(jsonPath("$.totalPages").value((total + 1) / 2))
                .andReturn().getResponse().getContentAsString();
        assertThat(page).doesNotContain("@");
        mvc.perform(get("/api/posts").param("page", "1").param("size", "2"))
                .andExpect(jsonPath("$.content[0].id").value(first));
        mvc.perform(get("/api/posts")).andExpect(jsonPath("$.size").value(20));
        mvc.perform(get("/api/posts").param("size", "0"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value(PROBLEM + "invalid-request"))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("size")));
    }

    @Test
    void pagingIsBoundedAndNeverOverflows() throws Exception {
        // page * size overflowed an int before (a negative OFFSET, answered 500)
        mvc.perform(get("/api/posts").param("page", String.valueOf(Integer.MAX_VALUE)).param("size", "100"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.content").isEmpty())
                .andExpect(jsonPath("$.page").value(Integer.MAX_VALUE));
        mvc.perform(get("/api/posts").param("size", "101"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("size")));
        mvc.perform(get("/api/posts").param("page", "-1").param("size", "-5"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("page", "size")));
        for (String page : List.of("2147483648", "abc", "1e3", "")) {
            mvc.perform(get("/api/posts").param("page", page))
                    .andExpect(page.isEmpty() ? status().isOk() : status().isBadRequest());
        }
    }

    private List<PostEvent> eventsOf(String id) {
        return postsTopic.withKey(id).stream().map(ConsumerRecord::value)
                .map(value -> EventJson.readPostEvent(value).known().orElseThrow()).toList();
    }

    private ResultActions publish(Map<String, Object> body) throws Exception {
        return publish(ANN, body);
    }

    private ResultActions publish(TestAccount author, Map<String, Object> body) throws Exception {
        return mvc.perform(post("/api/posts").header(HttpHeaders.AUTHORIZATION, author.basic())
                .contentType(MediaType.APPLICATION_JSON).content(JSON.writeValueAsString(body)));
    }

    private static MockHttpServletRequestBuilder authorPost(String uri) {
        return post(uri).header(HttpHeaders.AUTHORIZATION, ANN.basic());
    }

    private static MockHttpServletRequestBuilder authorPatch(String uri) {
        return patch(uri).header(HttpHeaders.AUTHORIZATION, ANN.basic());
    }

    private static String idOf(ResultActions created) throws Exception {
        return JSON.readTree(created.andExpect(status().isCreated()).andReturn().getResponse().getContentAsString())
                .get("id").asString();
    }

    /** A post as the documented request shape has it, with its author: Ann's account. */
    static Map<String, Object> newPost(String title) {
        Map<String, Object> author = new LinkedHashMap<>(Map.of("name", ANN.name(), "email", ANN.email()));
        Map<String, Object> post = new LinkedHashMap<>();
        post.put("title", title);
        post.put("body", "A body about " + title);
        post.put("author", author);
        return post;
    }

    static Map<String, Object> withoutAuthor(Map<String, Object> post) {
        post.remove("author");
        return post;
    }

    private static Map<String, Object> with(Map<String, Object> post, Consumer<Map<String, Object>> change) {
        change.accept(post);
        return post;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> author(Map<String, Object> post) {
        return (Map<String, Object>) post.get("author");
    }

    private static Arguments invalid(String field, Consumer<Map<String, Object>> change) {
        Map<String, Object> post = with(newPost("Valid title"), change);
        String shown = JSON.writeValueAsString(post);
        return Arguments.of(field, post, shown.length() > 80 ? shown.substring(0, 80) + "..." : shown);
    }
}
