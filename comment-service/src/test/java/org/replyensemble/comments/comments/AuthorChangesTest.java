package org.replyensemble.comments.comments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.replyensemble.comments.comments.CommentApiTest.JSON;
import static org.replyensemble.comments.comments.CommentApiTest.newComment;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.replyensemble.comments.CommentServiceTest;
import org.replyensemble.events.CommentEvent;
import org.springframework.http.MediaType;

import tools.jackson.databind.JsonNode;

/**
 * Edit and delete by the author: within the window, with the secret from the answer to the post;
 * anything else is 403 (or 404, 409) and changes nothing, on the database or on the topic.
 */
class AuthorChangesTest extends CommentServiceTest {

    private static final String PROBLEM = "https://replyensemble.org/problems/";

    record Posted(String id, String secret) {
    }

    @Test
    void theAuthorEditsWithinTheWindowTheCommentKeepsItsPlaceAndCommentEditedFollowsInOrder() throws Exception {
        UUID postId = givenPost("Edited thread");
        Posted ann = posted(postId, "Ann", "ann@example.com", "Teh first comment");
        Posted bob = posted(postId, "Bob", "bob@example.com", "Second");

        mvc.perform(patch("/api/comments/" + ann.id()).header("Comment-Secret", ann.secret())
                        .contentType(MediaType.APPLICATION_JSON).content("{\"body\":\"The first comment\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.body").value("The first comment"))
                .andExpect(jsonPath("$.position").value(1))
                .andExpect(jsonPath("$.editedAt").isString())
                .andExpect(jsonPath("$.editSecret").doesNotExist());
        mvc.perform(get("/api/comments/" + ann.id()))
                .andExpect(jsonPath("$.body").value("The first comment"))
                .andExpect(jsonPath("$.author.name").value("Ann"))
                .andExpect(jsonPath("$.deleted").value(false));
        mvc.perform(get("/api/posts/" + postId + "/comments"))
                .andExpect(jsonPath("$.content[0].id").value(ann.id()))
                .andExpect(jsonPath("$.content[1].id").value(bob.id()));

        List<CommentEvent> events = eventsOf(postId, 3);
        assertThat(events).extracting(CommentEvent::type)
                .containsExactly(CommentEvent.POSTED, CommentEvent.POSTED, CommentEvent.EDITED);
        CommentEvent.CommentPosted edited = events.get(2).comment();
        assertThat(edited.id()).hasToString(ann.id());
        assertThat(edited.position()).isEqualTo(1);
        assertThat(edited.excerpt()).isEqualTo("The first comment");
        assertThat(edited.author().email()).isEqualTo("ann@example.com");
        assertThat(edited.editedAt()).isAfterOrEqualTo(edited.createdAt());
        assertThat(edited.deletedAt()).isNull();
    }

    @Test
    void theAuthorDeletesWithinTheWindowTheCommentStaysAsDeletedAndRepliesStayReadable() throws Exception {
        UUID postId = givenPost("Deleted thread");
        Posted ann = posted(postId, "Ann", "ann@example.com", "Something I regret");
        Map<String, Object> reply = newComment("Bob", "bob@example.com", "A reply that stays");
        reply.put("parentId", ann.id());
        String bob = CommentApiTest.idOf(mvc.perform(post("/api/posts/" + postId + "/comments")
                .contentType(MediaType.APPLICATION_JSON).content(JSON.writeValueAsString(reply))));

        mvc.perform(delete("/api/comments/" + ann.id()).header("Comment-Secret", ann.secret())).andExpect(status().isNoContent());

        String thread = mvc.perform(get("/api/posts/" + postId + "/comments")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(thread).doesNotContain("Something I regret").doesNotContain("Ann").doesNotContain("@");
        JsonNode list = JSON.readTree(thread).get("content");
        assertThat(list.get(0).get("id").asString()).isEqualTo(ann.id());
        assertThat(list.get(0).get("position").asInt()).isEqualTo(1);
        assertThat(list.get(0).get("deleted").asBoolean()).isTrue();
        assertThat(list.get(0).get("author").get("name").asString()).isEqualTo("[deleted]");
        assertThat(list.get(0).get("body").asString()).isEmpty();
        assertThat(list.get(1).get("id").asString()).isEqualTo(bob);
        assertThat(list.get(1).get("parentId").asString()).isEqualTo(ann.id());
        assertThat(list.get(1).get("body").asString()).isEqualTo("A reply that stays");
        assertThat(columnOf("select author_name || '|' || body from comment where id = ?::uuid", ann.id())).containsExactly("[deleted]|");

        // Again with the same secret: the same answer, and no second event.
        mvc.perform(delete("/api/comments/" + ann.id()).header("Comment-Secret", ann.secret())).andExpect(status().isNoContent());
        mvc.perform(patch("/api/comments/" + ann.id()).header("Comment-Secret", ann.secret())
                        .contentType(MediaType.APPLICATION_JSON).content("{\"body\":\"Back again\"}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value(PROBLEM + "comment-deleted"));
        Posted marker = posted(postId, "Cy", "cy@example.com", "After the deletion");

        List<CommentEvent> events = eventsOf(postId, 4);
        assertThat(events).extracting(CommentEvent::type)
                .containsExactly(CommentEvent.POSTED, CommentEvent.POSTED, CommentEvent.DELETED, CommentEvent.POSTED);
        assertThat(events.get(3).comment().id()).hasToString(marker.id());
        CommentEvent.CommentPosted deleted = events.get(2).comment();
        assertThat(deleted.id()).hasToString(ann.id());
        assertThat(deleted.position()).isEqualTo(1);
        assertThat(deleted.deletedAt()).isNotNull();
        assertThat(deleted.excerpt()).isEmpty();
        assertThat(deleted.author().name()).isEqualTo("[deleted]");
    }

    @Test
    void aWrongOrMissingSecretIs403AndChangesNothing() throws Exception {
        UUID postId = givenPost("Guarded thread");
        Posted ann = posted(postId, "Ann", "ann@example.com", "Mine");
        Posted bob = posted(postId, "Bob", "bob@example.com", "His");

        for (String wrong : new String[] { bob.secret(), "guess", ann.secret().substring(1) + "A" }) {
            mvc.perform(patch("/api/comments/" + ann.id()).header("Comment-Secret", wrong)
                            .contentType(MediaType.APPLICATION_JSON).content("{\"body\":\"Hijacked\"}"))
                    .andExpect(status().isForbidden())
                    .andExpect(jsonPath("$.type").value(PROBLEM + "not-the-author"));
            mvc.perform(delete("/api/comments/" + ann.id()).header("Comment-Secret", wrong))
                    .andExpect(status().isForbidden());
        }
        mvc.perform(patch("/api/comments/" + ann.id()).contentType(MediaType.APPLICATION_JSON).content("{\"body\":\"Hijacked\"}"))
                .andExpect(status().isForbidden());
        mvc.perform(delete("/api/comments/" + ann.id())).andExpect(status().isForbidden());
        mvc.perform(delete("/api/comments/" + UUID.randomUUID()).header("Comment-Secret", ann.secret()))
                .andExpect(status().isNotFound());
        mvc.perform(patch("/api/comments/" + ann.id()).header("Comment-Secret", ann.secret())
                        .contentType(MediaType.APPLICATION_JSON).content("{\"body\":\"  \"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("body"));

        mvc.perform(get("/api/comments/" + ann.id()))
                .andExpect(jsonPath("$.body").value("Mine"))
                .andExpect(jsonPath("$.editedAt").isEmpty())
                .andExpect(jsonPath("$.deleted").value(false));
        Posted marker = posted(postId, "Cy", "cy@example.com", "Nothing happened before me");
        assertThat(eventsOf(postId, 3)).extracting(e -> e.type() + " " + e.comment().id())
                .containsExactly("CommentPosted " + ann.id(), "CommentPosted " + bob.id(), "CommentPosted " + marker.id());
    }

    @Test
    void afterTheWindowEvenTheRightSecretIs403AndChangesNothing() throws Exception {
        UUID postId = givenPost("Late thread");
        Posted ann = posted(postId, "Ann", "ann@example.com", "Posted a while ago");
        // The comment was posted 16 minutes ago (the window is 15).
        jdbc.sql("update comment set created_at = created_at - interval '16 minutes' where id = ?::uuid").param(ann.id()).update();

        mvc.perform(patch("/api/comments/" + ann.id()).header("Comment-Secret", ann.secret())
                        .contentType(MediaType.APPLICATION_JSON).content("{\"body\":\"Too late\"}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value(PROBLEM + "edit-window-closed"));
        mvc.perform(delete("/api/comments/" + ann.id()).header("Comment-Secret", ann.secret()))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value(PROBLEM + "edit-window-closed"));

        mvc.perform(get("/api/comments/" + ann.id()))
                .andExpect(jsonPath("$.body").value("Posted a while ago"))
                .andExpect(jsonPath("$.deleted").value(false));
        Posted marker = posted(postId, "Cy", "cy@example.com", "Nothing happened before me");
        assertThat(eventsOf(postId, 2)).extracting(e -> e.type() + " " + e.comment().id())
                .containsExactly("CommentPosted " + ann.id(), "CommentPosted " + marker.id());
    }

    @Test
    void theSecretIsShownOnceAndStoredOnlyAsItsHash() throws Exception {
        UUID postId = givenPost("Secret thread");
        String answer = mvc.perform(post("/api/posts/" + postId + "/comments").contentType(MediaType.APPLICATION_JSON)
                        .content(JSON.writeValueAsString(newComment("Ann", "ann@example.com", "Hello"))))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        JsonNode created = JSON.readTree(answer);
        String secret = created.get("editSecret").asString();
        assertThat(secret).matches("[A-Za-z0-9_-]{43}"); // 256 random bits
        assertThat(Instant.parse(created.get("editableUntil").asString()))
                .isEqualTo(Instant.parse(created.get("createdAt").asString()).plus(Duration.ofMinutes(15)));

        byte[] stored = jdbc.sql("select edit_secret_hash from comment where id = ?::uuid").param(created.get("id").asString())
                .query((rs, row) -> rs.getBytes(1)).single();
        assertThat(stored).isEqualTo(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        mvc.perform(get("/api/comments/" + created.get("id").asString())).andExpect(jsonPath("$.editSecret").doesNotExist());
        mvc.perform(get("/api/posts/" + postId + "/comments")).andExpect(jsonPath("$.content[0].editSecret").doesNotExist());
    }

    private Posted posted(UUID postId, String name, String email, String body) throws Exception {
        String answer = mvc.perform(post("/api/posts/" + postId + "/comments").contentType(MediaType.APPLICATION_JSON)
                        .content(JSON.writeValueAsString(newComment(name, email, body))))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        JsonNode created = JSON.readTree(answer);
        return new Posted(created.get("id").asString(), created.get("editSecret").asString());
    }

}
