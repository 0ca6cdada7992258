package org.replyensemble.comments.comments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.replyensemble.comments.comments.CommentApiTest.JSON;
import static org.replyensemble.comments.comments.CommentApiTest.newComment;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.replyensemble.comments.CommentServiceTest;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.testing.TestAccount;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Moderation: the post's author and operators hide a comment (it keeps its place as "[hidden]",
 * its name and text shown nowhere), show it again, or delete it; anyone else is refused.
 */
class ModerationTest extends CommentServiceTest {

    private static final String PROBLEM = "https://replyensemble.org/problems/";

    @Test
    void anOperatorHidesACommentEverywhereAndShowsItAgain() throws Exception {
        UUID postId = givenPost("Moderated thread");
        String spam = idOf(postId, "Spammer", "spam@example.com", "Buy cheap pills at www.spam.example");
        Map<String, Object> reply = newComment("Bob", "bob@example.com", "Please stop");
        reply.put("parentId", spam);
        String bob = CommentApiTest.idOf(mvc.perform(post("/api/posts/" + postId + "/comments")
                .contentType(MediaType.APPLICATION_JSON).content(JSON.writeValueAsString(reply))));

        mvc.perform(as(OLGA, post("/api/comments/" + spam + "/hide")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.hidden").value(true))
                .andExpect(jsonPath("$.author.name").value("[hidden]"))
                .andExpect(jsonPath("$.body").value(""));
        String thread = mvc.perform(get("/api/posts/" + postId + "/comments")).andReturn().getResponse().getContentAsString();
        assertThat(thread).doesNotContain("pills").doesNotContain("Spammer").contains("Please stop");
        String page = mvc.perform(get("/posts/slug-" + postId)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("[hidden by a moderator]", "Please stop").doesNotContain("pills").doesNotContain("Spammer");
        mvc.perform(get("/api/comments/" + bob)).andExpect(jsonPath("$.parentId").value(spam));

        mvc.perform(as(OLGA, post("/api/comments/" + spam + "/hide"))).andExpect(status().isOk()); // again: no second event
        mvc.perform(as(OLGA, post("/api/comments/" + spam + "/unhide")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.hidden").value(false))
                .andExpect(jsonPath("$.body").value("Buy cheap pills at www.spam.example"));

        List<CommentEvent> events = eventsOf(postId, 4);
        assertThat(events).extracting(CommentEvent::type).containsExactly(CommentEvent.POSTED, CommentEvent.POSTED,
                CommentEvent.HIDDEN, CommentEvent.UNHIDDEN);
        assertThat(events.get(2).comment().hiddenAt()).isNotNull();
        assertThat(events.get(3).comment().hiddenAt()).isNull();
        assertThat(events.get(3).comment().excerpt()).contains("pills");
    }

    @Test
    void thePostsAuthorModeratesTheirPostAndNobodyElseDoes() throws Exception {
        UUID postId = givenPost("Paula's thread");
        String comment = idOf(postId, "Troll", "troll@example.com", "Rude words");

        mvc.perform(as(OTTO, post("/api/comments/" + comment + "/hide")))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value(PROBLEM + "not-a-moderator"));
        mvc.perform(as(OTTO, delete("/api/comments/" + comment))).andExpect(status().isForbidden());
        mvc.perform(post("/api/comments/" + comment + "/hide").contentType(MediaType.APPLICATION_JSON))
                .andExpect(status().isUnauthorized());
        mvc.perform(delete("/api/comments/" + comment).contentType(MediaType.APPLICATION_JSON))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/comments/" + comment)).andExpect(jsonPath("$.body").value("Rude words"));

        mvc.perform(as(PAULA, post("/api/comments/" + comment + "/hide"))).andExpect(status().isOk());
        mvc.perform(as(PAULA, delete("/api/comments/" + comment))).andExpect(status().isNoContent());
        mvc.perform(get("/api/comments/" + comment))
                .andExpect(jsonPath("$.deleted").value(true))
                .andExpect(jsonPath("$.author.name").value("[deleted]"))
                .andExpect(jsonPath("$.body").value(""));
        mvc.perform(as(PAULA, post("/api/comments/" + comment + "/unhide")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value(PROBLEM + "comment-deleted"));
        assertThat(columnOf("select author_name || '|' || body from comment where id = ?::uuid", comment)).containsExactly("[deleted]|");

        assertThat(eventsOf(postId, 3)).extracting(CommentEvent::type)
                .containsExactly(CommentEvent.POSTED, CommentEvent.HIDDEN, CommentEvent.DELETED);
    }

    @Test
    void aPostThatHoldsFirstTimeCommentersPublishesTheirCommentOnlyWhenApproved() throws Exception {
        UUID postId = givenPost("Held thread");
        mvc.perform(as(OTTO, put("/api/posts/" + postId + "/moderation")).content("{\"holdFirstTimeCommenters\":true}"))
                .andExpect(status().isForbidden());
        mvc.perform(as(PAULA, put("/api/posts/" + postId + "/moderation")).content("{}"))
                .andExpect(status().isBadRequest());
        mvc.perform(as(PAULA, put("/api/posts/" + postId + "/moderation")).content("{\"holdFirstTimeCommenters\":true}"))
                .andExpect(status().isOk());
        mvc.perform(as(PAULA, get("/api/posts/" + postId + "/moderation"))).andExpect(jsonPath("$.holdFirstTimeCommenters").value(true));

        String ann = heldIdOf(postId, "Ann", "ann@example.com", "A first comment, held");
        String spam = heldIdOf(postId, "Spammer", "spam@example.com", "Cheap pills, held");
        String paulas = idOf(postId, "Paula", "paula@example.com", "The author is never held"); // PAULA's address, any case
        mvc.perform(get("/api/comments/" + ann)).andExpect(status().isNotFound());
        assertThat(mvc.perform(get("/api/posts/" + postId + "/comments")).andReturn().getResponse().getContentAsString())
                .contains("never held").doesNotContain("first comment").doesNotContain("pills");
        assertThat(mvc.perform(get("/posts/slug-" + postId + "?held=1")).andReturn().getResponse().getContentAsString())
                .contains("waits for the post's author to approve it").doesNotContain("first comment");

        mvc.perform(as(OTTO, get("/api/posts/" + postId + "/comments/held"))).andExpect(status().isForbidden());
        String queue = mvc.perform(as(PAULA, get("/api/posts/" + postId + "/comments/held")))
                .andExpect(status().isOk()).andExpect(jsonPath("$[0].id").value(ann)).andExpect(jsonPath("$[1].id").value(spam))
                .andReturn().getResponse().getContentAsString();
        assertThat(queue).contains("A first comment, held").doesNotContain("@example.com");

        mvc.perform(as(PAULA, post("/api/comments/" + spam + "/hide"))).andExpect(status().isConflict());
        mvc.perform(as(PAULA, delete("/api/comments/" + spam))).andExpect(status().isNoContent()); // rejected
        mvc.perform(as(OTTO, post("/api/comments/" + ann + "/approve"))).andExpect(status().isForbidden());
        mvc.perform(as(PAULA, post("/api/comments/" + ann + "/approve")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.position").value(2)).andExpect(jsonPath("$.body").value("A first comment, held"));
        mvc.perform(as(PAULA, post("/api/comments/" + ann + "/approve"))).andExpect(status().isNotFound());
        mvc.perform(get("/api/comments/" + ann)).andExpect(status().isOk());
        String annAgain = idOf(postId, "Ann", "ANN@example.com", "Once approved, no longer held");

        assertThat(columnOf("select count(*)::text from held_comment where post_id = ?::uuid", postId.toString())).containsExactly("0");
        List<CommentEvent> events = eventsOf(postId, 3);
        assertThat(events).extracting(event -> event.comment().id().toString()).containsExactly(paulas, ann, annAgain);
        assertThat(events).extracting(event -> event.comment().position()).containsExactly(1, 2, 3);
        assertThat(events).noneMatch(event -> event.comment().excerpt().contains("pills"));
    }

    private String heldIdOf(UUID postId, String name, String email, String body) throws Exception {
        String answer = mvc.perform(post("/api/posts/" + postId + "/comments").contentType(MediaType.APPLICATION_JSON)
                        .content(JSON.writeValueAsString(newComment(name, email, body))))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.held").value(true))
                .andExpect(jsonPath("$.position").isEmpty())
                .andExpect(jsonPath("$.editSecret").isNotEmpty())
                .andReturn().getResponse().getContentAsString();
        return JSON.readTree(answer).get("id").asString();
    }

    private static MockHttpServletRequestBuilder as(TestAccount account, MockHttpServletRequestBuilder request) {
        return request.header(HttpHeaders.AUTHORIZATION, account.basic()).contentType(MediaType.APPLICATION_JSON);
    }

    private String idOf(UUID postId, String name, String email, String body) throws Exception {
        return CommentApiTest.idOf(mvc.perform(post("/api/posts/" + postId + "/comments").contentType(MediaType.APPLICATION_JSON)
                .content(JSON.writeValueAsString(newComment(name, email, body)))));
    }

}
