package org.replyensemble.comments.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.replyensemble.comments.comments.CommentApiTest.JSON;
import static org.replyensemble.comments.comments.CommentApiTest.newComment;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.replyensemble.comments.CommentServiceTest;
import org.replyensemble.comments.comments.CommentApiTest;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.ErasureEvent;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.events.Topics;
import org.replyensemble.testing.TestAccount;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import tools.jackson.databind.JsonNode;

/** comment-service's part of an erasure, from the event post-service publishes, and its export. */
class ErasureTest extends CommentServiceTest {

    private static final String ADDRESS = "erin.erased@example.org";

    @Test
    void anErasureLeavesTheCommentsAnonymousAndNoRowWithTheAddressAndAReplayChangesNothing() throws Exception {
        UUID postId = givenPost("A thread Erin wrote in");
        UUID erinsPost = UUID.randomUUID();
        publish(new PostEvent.PostState(erinsPost, "slug-" + erinsPost, "Erin's own post", "Body",
                new Person("Erin", "Erin.Erased@Example.org"), Instant.parse("2026-01-01T10:00:00Z"), true, 1));
        await().atMost(WAIT).until(() -> replica.find(erinsPost).isPresent());
        String first = comment(postId, "Erin", "Erin.Erased@example.org", "Erin's first words");
        String second = comment(postId, "Erin", ADDRESS, "Erin again");
        String bobs = comment(postId, "Bob", "bob@example.com", "Bob answers");
        // A comment of hers held for approval on another post (never published).
        jdbc.sql("""
                insert into held_comment (id, post_id, author_name, author_email, body, notify, created_at, edit_secret_hash)
                values (gen_random_uuid(), ?, 'Erin', 'Erin.Erased@example.org', 'Erin waits', true, now(), '\\x00'::bytea)""")
                .param(erinsPost).update();
        await().atMost(WAIT).until(() -> rows("outbox_message where published_at is null") == 0);

        // The export shows exactly what is stored about the address (as each row has it).
        JsonNode export = export(ADDRESS);
        assertThat(export.get("comments")).hasSize(2);
        assertThat(export.at("/comments/0/id").asString()).isEqualTo(first);
        assertThat(export.at("/comments/0/authorEmail").asString()).isEqualTo("Erin.Erased@example.org");
        assertThat(export.at("/comments/0/authorName").asString()).isEqualTo("Erin");
        assertThat(export.at("/comments/0/body").asString()).isEqualTo("Erin's first words");
        assertThat(export.at("/comments/1/id").asString()).isEqualTo(second);
        assertThat(export.get("postsAuthored")).hasSize(1);
        assertThat(export.at("/heldComments/0/body").asString()).isEqualTo("Erin waits");
        assertThat(export.at("/postsAuthored/0/postId").asString()).isEqualTo(erinsPost.toString());
        assertThat(rowsContaining(ADDRESS)).isNotEmpty(); // the check below can fail

        ErasureEvent request = ErasureEvent.requested("e1".repeat(32), ADDRESS, Instant.now());
        RecordMetadata sent = kafka.send(Topics.ERASURES, request.subject(), EventJson.write(request)).get().getRecordMetadata();
        awaitConsumed(sent);

        assertThat(rowsContaining(ADDRESS)).isEmpty();
        assertThat(rowsContaining("erin.erased")).isEmpty();
        // Kept as anonymous: "[deleted]" as the name, the text and the place in the thread kept.
        mvc.perform(get("/api/comments/" + first))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.author.name").value(CommentEvent.DELETED_NAME))
                .andExpect(jsonPath("$.body").value("Erin's first words"));
        assertThat(columnOf("select author_email from comment where id = ?::uuid", bobs)).containsExactly("bob@example.com");
        assertThat(columnOf("select author_email from post_replica where id = ?", erinsPost)).containsExactly(Person.ERASED_EMAIL);
        assertThat(export(ADDRESS).get("comments")).isEmpty();
        assertThat(export(ADDRESS).get("postsAuthored")).isEmpty();

        // The same request again (a replay) does not erase what the address wrote since.
        String later = comment(postId, "Erin", ADDRESS, "Back, by choice");
        awaitConsumed(kafka.send(Topics.ERASURES, request.subject(), EventJson.write(request)).get().getRecordMetadata());
        assertThat(columnOf("select author_email from comment where id = ?::uuid", later)).containsExactly(ADDRESS);
        // The sealed record carries no address: nothing to do, nothing changes.
        awaitConsumed(kafka.send(Topics.ERASURES, request.subject(),
                EventJson.write(ErasureEvent.sealed(request.subject(), Instant.now()))).get().getRecordMetadata());
        assertThat(columnOf("select author_email from comment where id = ?::uuid", later)).containsExactly(ADDRESS);
    }

    @Test
    void onlyAnOperatorMayExport() throws Exception {
        mvc.perform(post("/api/operator/exports").contentType(MediaType.APPLICATION_JSON)
                .content("{\"email\":\"" + ADDRESS + "\"}")).andExpect(status().isUnauthorized());
        mvc.perform(as(PAULA, post("/api/operator/exports")).content("{\"email\":\"" + ADDRESS + "\"}"))
                .andExpect(status().isForbidden());
        mvc.perform(as(OLGA, post("/api/operator/exports")).content("{\"email\":\"nope\"}"))
                .andExpect(status().isBadRequest());
    }

    private JsonNode export(String address) throws Exception {
        return JSON.readTree(mvc.perform(as(OLGA, post("/api/operator/exports")).content(JSON.writeValueAsString(Map.of("email", address))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    private String comment(UUID postId, String name, String email, String body) throws Exception {
        return CommentApiTest.idOf(mvc.perform(post("/api/posts/" + postId + "/comments").contentType(MediaType.APPLICATION_JSON)
                .content(JSON.writeValueAsString(newComment(name, email, body)))));
    }

    private static MockHttpServletRequestBuilder as(TestAccount account, MockHttpServletRequestBuilder request) {
        return request.header(HttpHeaders.AUTHORIZATION, account.basic()).contentType(MediaType.APPLICATION_JSON);
    }

    /** Every row of every table whose text (all columns, as text) contains the string, case-insensitively. */
    private List<String> rowsContaining(String text) {
        List<String> found = new ArrayList<>();
        for (String table : jdbc.sql("""
                select table_name from information_schema.tables
                 where table_schema = current_schema() and table_type = 'BASE TABLE'""").query(String.class).list()) {
            jdbc.sql("select t::text from " + table + " t where position(? in lower(t::text)) > 0")
                    .param(text.toLowerCase()).query(String.class).list()
                    .forEach(row -> found.add(table + ": " + row));
        }
        return found;
    }
}
