package org.replyensemble.posts.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.replyensemble.events.Topics;
import org.replyensemble.posts.PostServiceTest;
import org.replyensemble.testing.TopicEnds;
import org.replyensemble.testing.fuzz.Endpoint;
import org.replyensemble.testing.fuzz.HttpFuzz;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Every public endpoint of post-service, fuzzed over its real HTTP port (see HttpFuzz). */
class PostFuzzTest extends PostServiceTest {

    /** Ann's post: the fuzzed calls that need an account sign in as her, so their cases reach the validation. */
    private static final String VALID_POST = """
            {"title": "Fuzzed post", "body": "A body", "slug": "fuzzed-post-%s",
             "author": {"name": "Ann Author", "email": "ann@example.com"}}""";

    @Value("${http.max-body-size}")
    DataSize maxBody;

    @Test
    void noRequestGetsAServerErrorOrAnythingButAProblemAndNothingIsStored() throws Exception {
        String created = mvc.perform(post("/api/posts").contentType(MediaType.APPLICATION_JSON)
                        .header(HttpHeaders.AUTHORIZATION, ANN.basic()).content(VALID_POST.formatted("target")))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        String id = created.replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
        UUID.fromString(id);
        awaitOutboxPublished();
        long published = TopicEnds.total(bootstrapServers, Topics.POSTS);

        HttpFuzz fuzz = HttpFuzz.against(port)
                .maxBodyBytes(maxBody.toBytes())
                .storing("posts", () -> rows("post"))
                .storing("revisions", () -> jdbc.sql("select coalesce(sum(revision), 0) from post").query(Long.class).single())
                .storing("outbox rows", () -> rows("outbox_message"))
                .endpoint(Endpoint.json("POST", "/api/posts", VALID_POST.formatted(UUID.randomUUID()))
                        .header(HttpHeaders.AUTHORIZATION, ANN.basic()))
                .endpoint(Endpoint.get("/api/posts").query("page", 0).query("size", 20))
                .endpoint(Endpoint.get("/api/posts/{id}").path("id", id))
                .endpoint(Endpoint.json("PATCH", "/api/posts/{id}", "{\"title\": \"Fuzzed again\", \"commentsOpen\": true}").path("id", id)
                        .header(HttpHeaders.AUTHORIZATION, ANN.basic()));
        fuzz.assertNothingWrong();

        assertThat(fuzz.requests()).isGreaterThan(300);
        assertThat(TopicEnds.total(bootstrapServers, Topics.POSTS)).as("nothing published").isEqualTo(published);
    }

    private void awaitOutboxPublished() {
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("select count(*) from outbox_message where published_at is null")
                .query(Long.class).single() == 0);
    }
}
