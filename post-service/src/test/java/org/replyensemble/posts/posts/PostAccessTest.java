package org.replyensemble.posts.posts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.PostEvent;
import org.replyensemble.events.Topics;
import org.replyensemble.posts.PostServiceTest;
import org.replyensemble.testing.TestIssuer;
import org.replyensemble.testing.TopicReader;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

import tools.jackson.databind.json.JsonMapper;

/**
 * Who may publish and edit: every refused call is a problem, and stores nothing (rows and outbox
 * counted before and after); the right account works, with Basic credentials or a token.
 */
class PostAccessTest extends PostServiceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PROBLEM = "https://replyensemble.org/problems/";

    @Test
    void publishingWithoutAnAccountIs401AndStoresNothing() throws Exception {
        Snapshot before = snapshot();
        mvc.perform(post("/api/posts").contentType(MediaType.APPLICATION_JSON).content(json("Anonymous post", null)))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEM + "authentication-required"))
                .andExpect(header().stringValues(HttpHeaders.WWW_AUTHENTICATE, hasItem(startsWith("Basic "))));
        publish(ANN.withWrongPassword().basic(), json("Wrong password", null)).andExpect(status().isUnauthorized());
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void anOperatorAccountDoesNotPublish() throws Exception {
        Snapshot before = snapshot();
        publish(OLGA.basic(), json("Operator's post", null))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value(PROBLEM + "forbidden"))
                .andExpect(jsonPath("$.detail").value("Your account may not do this (it needs the role AUTHOR)."));
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void theBodyCannotNameAnotherAuthorOrAddress() throws Exception {
        Snapshot before = snapshot();
        for (Map<String, Object> someoneElse : List.of(
                Map.<String, Object>of("name", ANN.name(), "email", "victim@example.org"),
                Map.<String, Object>of("name", BEA.name(), "email", BEA.email()),
                Map.<String, Object>of("name", "Ann Impostor", "email", ANN.email()))) {
            publish(ANN.basic(), json("Posing as someone", someoneElse))
                    .andExpect(status().isForbidden())
                    .andExpect(jsonPath("$.type").value(PROBLEM + "author-not-account"));
        }
        assertThat(snapshot()).isEqualTo(before);

        // The account's own name and address, in any case and with spaces around, are accepted.
        publish(ANN.basic(), json("As myself", Map.of("name", " Ann Author ", "email", "ANN@Example.com")))
                .andExpect(status().isCreated());
    }

    @Test
    void thePostIsByTheAccountWhateverTheBodyLeavesOut() throws Exception {
        String id = idOf(publish(BEA.basic(), json("Bea's own", null)).andExpect(status().isCreated())
                .andExpect(jsonPath("$.author.name").value("Bea Author")));

        assertThat(jdbc.sql("select author_account from post where id = ?").param(UUID.fromString(id)).query(String.class).single())
                .isEqualTo("basic:bea");
        try (TopicReader topic = new TopicReader(bootstrapServers, Topics.POSTS)) {
            PostEvent event = EventJson.readPostEvent(await().atMost(Duration.ofSeconds(15))
                    .until(() -> topic.withKey(id), records -> !records.isEmpty()).get(0).value()).known().orElseThrow();
            assertThat(event.post().author().email()).isEqualTo("Bea@Example.com");
            assertThat(event.post().author().name()).isEqualTo("Bea Author");
        }
    }

    @Test
    void onlyThePostsAuthorEditsItAndNothingChangesOtherwise() throws Exception {
        String id = idOf(publish(ANN.basic(), json("Ann's thread", null)));
        Snapshot before = snapshot();

        edit(null, id, "{\"title\": \"Taken over\"}").andExpect(status().isUnauthorized());
        edit(BEA.basic(), id, "{\"title\": \"Taken over\"}")
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value(PROBLEM + "not-post-author"));
        edit(BEA.basic(), id, "{\"commentsOpen\": false}").andExpect(status().isForbidden());
        edit(OLGA.basic(), id, "{\"title\": \"Rewritten by the operator\"}")
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value(PROBLEM + "operator-may-only-open-or-close"));

        assertThat(snapshot()).isEqualTo(before);
        mvc.perform(get("/api/posts/" + id)).andExpect(jsonPath("$.title").value("Ann's thread"))
                .andExpect(jsonPath("$.commentsOpen").value(true));

        edit(ANN.basic(), id, "{\"title\": \"Ann's thread, edited\"}").andExpect(status().isOk())
                .andExpect(jsonPath("$.title").value("Ann's thread, edited"));
        edit(OLGA.basic(), id, "{\"commentsOpen\": false}").andExpect(status().isOk())
                .andExpect(jsonPath("$.commentsOpen").value(false));
    }

    @Test
    void aCrossSiteFormCannotEditWithTheAuthorsCachedCredentials() throws Exception {
        String id = idOf(publish(ANN.basic(), json("Forms cannot touch this", null)));
        Snapshot before = snapshot();

        // <form enctype="text/plain"> can carry a body that looks like JSON, with the browser's cached Basic credentials.
        mvc.perform(patch("/api/posts/" + id).header(HttpHeaders.AUTHORIZATION, ANN.basic())
                        .header("Origin", "https://evil.example").header("Sec-Fetch-Site", "cross-site")
                        .contentType(MediaType.TEXT_PLAIN).content("{\"commentsOpen\": false, \"x\": \"=\"}"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(post("/api/posts").header(HttpHeaders.AUTHORIZATION, ANN.basic())
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("title=Spam&body=Spam"))
                .andExpect(status().isUnauthorized());

        assertThat(snapshot()).isEqualTo(before);
        mvc.perform(get("/api/posts/" + id)).andExpect(jsonPath("$.commentsOpen").value(true));
    }

    @Test
    void anIdentityProvidersTokenPublishesAndEditsItsOwnPosts() throws Exception {
        String kim = TestIssuer.bearer(ISSUER.token("idp-kim", "Kim Token", "kim@example.org", "author"));
        String id = idOf(publish(kim, json("Kim's post", null)).andExpect(jsonPath("$.author.name").value("Kim Token")));
        assertThat(jdbc.sql("select author_account from post where id = ?").param(UUID.fromString(id)).query(String.class).single())
                .isEqualTo("jwt:idp-kim");
        edit(kim, id, "{\"body\": \"Edited with a token\"}").andExpect(status().isOk());

        String annsPost = idOf(publish(ANN.basic(), json("Not Kim's", null)));
        Snapshot before = snapshot();
        edit(kim, annsPost, "{\"title\": \"Mine now\"}").andExpect(status().isForbidden());
        // The provider says the address is not verified: the account has none, and a post needs one.
        String unverified = TestIssuer.bearer(ISSUER.token(Map.of("sub", "idp-uma", "name", "Uma", "email", "uma@example.org",
                "email_verified", false, "roles", List.of("author")), Duration.ofMinutes(5)));
        publish(unverified, json("Unverified", null))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value(PROBLEM + "account-without-address"));
        String expired = TestIssuer.bearer(ISSUER.token(Map.of("sub", "idp-kim", "name", "Kim Token", "email", "kim@example.org",
                "roles", List.of("author")), Duration.ofMinutes(-5)));
        publish(expired, json("Expired", null))
                .andExpect(status().isUnauthorized())
                .andExpect(header().stringValues(HttpHeaders.WWW_AUTHENTICATE, hasItem(startsWith("Bearer "))));
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void readingStaysPublic() throws Exception {
        String id = idOf(publish(ANN.basic(), json("Read me", null)));
        mvc.perform(get("/api/posts/" + id)).andExpect(status().isOk());
        mvc.perform(get("/api/posts")).andExpect(status().isOk());
    }

    /** The rows a refused request must not have changed. */
    private record Snapshot(long posts, long outbox, long revisions, long closed) {
    }

    private Snapshot snapshot() {
        return new Snapshot(rows("post"), rows("outbox_message"),
                jdbc.sql("select coalesce(sum(revision), 0) from post").query(Long.class).single(),
                jdbc.sql("select count(*) from post where not comments_open").query(Long.class).single());
    }

    private ResultActions publish(String authorization, String body) throws Exception {
        var request = post("/api/posts").contentType(MediaType.APPLICATION_JSON).content(body);
        return mvc.perform(authorization == null ? request : request.header(HttpHeaders.AUTHORIZATION, authorization));
    }

    private ResultActions edit(String authorization, String id, String body) throws Exception {
        var request = patch("/api/posts/" + id).contentType(MediaType.APPLICATION_JSON).content(body);
        return mvc.perform(authorization == null ? request : request.header(HttpHeaders.AUTHORIZATION, authorization));
    }

    private static String json(String title, Map<String, Object> author) {
        Map<String, Object> post = new java.util.LinkedHashMap<>(Map.of("title", title, "body", "About " + title));
        if (author != null) {
            post.put("author", author);
        }
        return JSON.writeValueAsString(post);
    }

    private static String idOf(ResultActions created) throws Exception {
        return JSON.readTree(created.andExpect(status().isCreated()).andReturn().getResponse().getContentAsString())
                .get("id").asString();
    }
}
