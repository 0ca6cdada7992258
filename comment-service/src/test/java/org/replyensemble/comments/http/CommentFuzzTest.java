package org.replyensemble.comments.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.replyensemble.comments.CommentServiceTest;
import org.replyensemble.events.Topics;
import org.replyensemble.testing.TopicEnds;
import org.replyensemble.testing.fuzz.Endpoint;
import org.replyensemble.testing.fuzz.HttpFuzz;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;

/** Every public endpoint of comment-service, fuzzed over its real HTTP port (see HttpFuzz). */
class CommentFuzzTest extends CommentServiceTest {

    private static final String VALID_COMMENT = """
            {"author": {"name": "Fay Fuzz", "email": "fay@example.org"}, "body": "A comment", "notify": true}""";

    @Value("${http.max-body-size}")
    DataSize maxBody;

    @Test
    void noRequestGetsAServerErrorOrAnythingButAProblemAndNothingIsStored() throws Exception {
        UUID postId = givenPost("Fuzzed thread");
        String created = mvc.perform(post("/api/posts/" + postId + "/comments").contentType(MediaType.APPLICATION_JSON)
                        .content(VALID_COMMENT))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        String commentId = created.replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
        await().atMost(WAIT).until(() -> rows("outbox_message where published_at is null") == 0);
        long published = TopicEnds.total(bootstrapServers, Topics.COMMENTS);

        HttpFuzz fuzz = HttpFuzz.against(port)
                .maxBodyBytes(maxBody.toBytes())
                .storing("comments", () -> rows("comment"))
                .storing("outbox rows", () -> rows("outbox_message"))
                .storing("positions handed out", () -> jdbc.sql("select coalesce(sum(comment_count), 0) from post_replica")
                        .query(Long.class).single())
                .endpoint(Endpoint.json("POST", "/api/posts/{postId}/comments", VALID_COMMENT).path("postId", postId))
                .endpoint(Endpoint.get("/api/posts/{postId}/comments").path("postId", postId).query("page", 0).query("size", 50))
                .endpoint(Endpoint.get("/api/comments/{id}").path("id", commentId))
                .endpoint(Endpoint.page("GET", "/").query("page", 1))
                .endpoint(Endpoint.page("GET", "/posts/{slug}").path("slug", "slug-" + postId).query("page", 1))
                .endpoint(Endpoint.page("GET", "/posts/{slug}/comments/{id}").path("slug", "slug-" + postId).path("id", commentId))
                .endpoint(Endpoint.page("GET", "/posts/{slug}/comments/{id}/replies").path("slug", "slug-" + postId)
                        .path("id", commentId).query("page", 1))
                // An author's edit without the secret (a guessed one): every variation is refused, none stores.
                .endpoint(Endpoint.json("PATCH", "/api/comments/{id}", "{\"body\": \"Changed\"}").path("id", commentId)
                        .header("Comment-Secret", "a-guessed-secret"))
                // The page's Edit and Delete forms without the comment's cookie: refused, none stores.
                .endpoint(Endpoint.form("POST", "/posts/{slug}/comments/{id}/edit", "body=Changed").path("slug", "slug-" + postId)
                        .path("id", commentId))
                .endpoint(Endpoint.form("POST", "/posts/{slug}/comments/{id}/delete", "confirm=yes").path("slug", "slug-" + postId)
                        .path("id", commentId))
                // The reply form of a post that does not exist: every variation is refused, none stores.
                .endpoint(Endpoint.form("POST", "/posts/{slug}/comments", "name=Fay&email=fay%40example.org&notify=on&body=Hi")
                        .path("slug", "no-such-post"));
        fuzz.assertNothingWrong();

        assertThat(fuzz.requests()).isGreaterThan(200);
        assertThat(TopicEnds.total(bootstrapServers, Topics.COMMENTS)).as("nothing published").isEqualTo(published);
    }
}
