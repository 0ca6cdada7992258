package org.replyensemble.notifications.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.ErasureEvent;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Person;
import org.replyensemble.events.Topics;
import org.replyensemble.notifications.FlowTest;
import org.replyensemble.support.erasure.ErasureKey;
import org.springframework.http.MediaType;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * notification-service's part of an erasure: no row with the address afterwards, only its keyed hash
 * on the suppression list; old events carrying the address (replayed) mail nobody at it and store
 * the placeholder; the export shows exactly what is stored; the erasure event replayed changes nothing.
 */
class ErasureTest extends FlowTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ErasureKey KEY = ErasureKey.from(ERASURE_KEY, false);

    @Test
    void anErasedAddressLeavesNoRowAndGetsNoMoreMailWhenOldEventsAreReplayed() throws Exception {
        String author = address("author");
        String erin = address("erin");
        String bob = address("bob");
        confirm(erin, "Erin");
        confirm(bob, "Bob");
        UUID postId = publishPost("Erin's thread", "erins-thread-" + domain, "Ann Author", author);
        CommentEvent erins = publishComment(postId, 1, null, "Erin", erin, true, "Erin speaks");
        CommentEvent bobs = publishComment(postId, 2, erins.comment().id(), "Bob", bob, true, "Bob answers Erin");
        awaitSettled(postId, 2);
        awaitMail(erin, 1); // Bob's reply
        int toTheAuthor = mailTo(author).size();

        // The export: exactly what the tables hold about Erin.
        JsonNode export = export(erin);
        assertThat(export.at("/tables/address/0/email").asString()).isEqualTo(erin);
        assertThat(export.at("/tables/thread_comment")).hasSize(1);
        assertThat(export.at("/tables/thread_comment/0/excerpt").asString()).isEqualTo("Erin speaks");
        assertThat(export.at("/tables/thread_participant")).hasSize(1);
        assertThat(export.at("/tables/delivery")).hasSize((int) count(
                "select count(*) from delivery where post_id in (:posts) and recipient_email = '" + erin + "'", List.of(postId)));
        assertThat(export.at("/tables/delivery/0/status").asString()).isEqualTo("SENT");
        assertThat(export.get("erased").asBoolean()).isFalse();
        assertThat(rowsContaining(erin)).isNotEmpty(); // the check below can fail

        ErasureEvent erasure = ErasureEvent.requested(KEY.subject(erin), erin, Instant.now());
        kafka.send(Topics.ERASURES, erasure.subject(), EventJson.write(erasure)).join();
        await().atMost(MAIL_WAIT).until(() -> rowsContaining(erin).isEmpty());
        assertThat(jdbc.sql("select count(*) from erased_subject where subject = :s").param("s", KEY.subject(erin))
                .query(Long.class).single()).isOne();
        assertThat(jdbc.sql("select author_email || ' ' || author_name from thread_comment where comment_id = :id")
                .param("id", erins.comment().id()).query(String.class).single())
                .isEqualTo(Person.ERASED_EMAIL + " " + CommentEvent.DELETED_NAME);
        // An operator (or an old confirmation link) cannot bring the address back.
        http.perform(operator(post("/api/addresses/confirmations")).content("{\"email\":\"" + erin + "\",\"name\":\"Erin\"}"))
                .andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.confirmed").value(false))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.suppressed").value("ERASED"));
        assertThat(rowsContaining(erin)).isEmpty();
        JsonNode after = export(erin);
        assertThat(after.get("erased").asBoolean()).isTrue();
        after.get("tables").properties().forEach(table -> assertThat(table.getValue()).as(table.getKey()).isEmpty());

        // Old events with the address come again (a replay of the topics, someone else's reply to it):
        // nothing is mailed to the address, and it is stored nowhere.
        UUID replayedPost = publishPost("Erin's own post", "erins-own-" + domain, "Erin", erin);
        CommentEvent again = publishComment(replayedPost, 1, null, "Erin", erin, true, "Erin, replayed");
        publishComment(replayedPost, 2, again.comment().id(), "Bob", bob, true, "Bob answers the replayed Erin");
        publishComment(postId, 3, erins.comment().id(), "Bob", bob, true, "Bob answers Erin once more");
        awaitFannedOut(replayedPost, 2);
        awaitFannedOut(postId, 3);
        // Settled: nothing PENDING, and the server holds what is marked SENT plus Erin's one email,
        // whose delivery row the erasure deleted.
        List<UUID> posts = List.of(postId, replayedPost);
        await().atMost(MAIL_WAIT).until(() -> count("select count(*) from delivery where post_id in (:posts) and status = 'PENDING'",
                posts) == 0 && count("select count(*) from delivery where post_id in (:posts) and status = 'SENT'", posts) + 1
                == mailToDomain().size());
        assertThat(mailTo(erin)).hasSize(1);
        assertThat(mailTo(author)).hasSize(toTheAuthor + 1); // everyone else is mailed as before: comment 3
        assertThat(rowsContaining(erin)).isEmpty();
        assertThat(jdbc.sql("select count(*) from delivery where recipient_email = :e and status in ('PENDING', 'SENT', 'HELD')")
                .param("e", Person.ERASED_EMAIL).query(Long.class).single()).isZero();

        // The erasure event again: already processed, nothing changes.
        long subjects = jdbc.sql("select count(*) from erased_subject").query(Long.class).single();
        kafka.send(Topics.ERASURES, erasure.subject(), EventJson.write(erasure)).join();
        ErasureEvent marker = ErasureEvent.sealed(KEY.subject(address("marker")), Instant.now());
        kafka.send(Topics.ERASURES, erasure.subject(), EventJson.write(marker)).join(); // same key: same partition, after it
        await().atMost(MAIL_WAIT).until(() -> jdbc.sql("select count(*) from erased_subject").query(Long.class).single() == subjects + 1);
        assertThat(rowsContaining(erin)).isEmpty();
        assertThat(bobs.comment().id()).isNotNull();
    }

    @Test
    void onlyAnOperatorMayExport() throws Exception {
        http.perform(post("/api/operator/exports").contentType(MediaType.APPLICATION_JSON)
                .content("{\"email\":\"x@example.org\"}")).andExpect(status().isUnauthorized());
        http.perform(operator(post("/api/operator/exports")).content("{\"email\":\"not an address\"}"))
                .andExpect(status().isBadRequest());
    }

    private JsonNode export(String address) throws Exception {
        return JSON.readTree(http.perform(operator(post("/api/operator/exports")).content(JSON.writeValueAsString(Map.of("email", address))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    /** Every row of every table whose text (all columns, as text) contains the string, case-insensitively. */
    private List<String> rowsContaining(String text) {
        List<String> found = new ArrayList<>();
        for (String table : jdbc.sql("""
                select table_name from information_schema.tables
                 where table_schema = current_schema() and table_type = 'BASE TABLE'""").query(String.class).list()) {
            jdbc.sql("select t::text from " + table + " t where position(:text in lower(t::text)) > 0")
                    .param("text", text.toLowerCase()).query(String.class).list()
                    .forEach(row -> found.add(table + ": " + row));
        }
        return found;
    }
}
