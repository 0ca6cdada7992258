package org.replyensemble.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Person;
import org.replyensemble.events.Topics;
import org.replyensemble.notifications.threads.Threads;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Mail follows the text: a comment deleted by its author mails nobody from then on (its deliveries
 * not yet sent are CANCELLED, with the reason, counted), while the other comments' mail goes out;
 * an edit made before the mail is sent changes the mail's text. The mail is kept from going out
 * before the edit or deletion the way an unconfirmed recipient's is: HELD until they confirm, so
 * the order of events is the test's, never the sender's speed.
 */
class MailFollowsTextTest extends FlowTest {

    @Autowired
    MeterRegistry meters;

    @Test
    void aDeletedCommentsPendingMailIsNeverSentWhileTheOtherCommentsMailIs() throws Exception {
        UUID postId = publishPost("Second thoughts", "second-thoughts", "Olga", address("olga"));
        CommentEvent bob = publishComment(postId, 1, null, "Bob", address("bob"), true, "first");
        awaitSettled(postId, 1);
        CommentEvent cy = publishComment(postId, 2, bob.comment().id(), "Cy", address("cy"), false, "something I regret");
        CommentEvent dee = publishComment(postId, 3, null, "Dee", address("dee"), false, "a comment that stays");
        awaitSettled(postId, 3);
        assertThat(deliveryStatus(cy.comment().id(), address("bob"))).isEqualTo("HELD");
        assertThat(deliveryStatus(dee.comment().id(), address("bob"))).isEqualTo("HELD");
        double cancelledBefore = cancelled();

        send(Topics.COMMENTS, postId, EventJson.write(CommentEvent.deleted(deletedState(cy.comment()))));
        await().atMost(MAIL_WAIT).until(() -> "CANCELLED".equals(deliveryStatus(cy.comment().id(), address("bob"))));
        assertThat(jdbc.sql("select status_reason from delivery where comment_id = :id and recipient_email = :email")
                .param("id", cy.comment().id()).param("email", address("bob")).query(String.class).single())
                .isEqualTo("comment deleted");
        assertThat(cancelled() - cancelledBefore).isEqualTo(1);
        assertThat(jdbc.sql("select author_name || '|' || excerpt from thread_comment where comment_id = :id")
                .param("id", cy.comment().id()).query(String.class).single()).isEqualTo("[deleted]|");

        confirm(address("bob"), "Bob");
        awaitSettled(postId);
        List<MimeMessage> toBob = replies(address("bob"));
        assertThat(toBob).hasSize(1);
        assertThat(ReceivedMail.part(toBob.get(0), "text/plain")).contains("a comment that stays").doesNotContain("regret");
        assertThat(deliveryStatus(cy.comment().id(), address("bob"))).isEqualTo("CANCELLED");
        // Olga, the post's author, had both at once (grace 0): what was sent stays SENT.
        assertThat(deliveryStatus(cy.comment().id(), address("olga"))).isEqualTo("SENT");

        // Every event again, as a producer's retry would send it (new event ids): nothing changes.
        List<String> before = deliveriesOf(postId);
        int mailBefore = mailToDomain().size();
        List<CommentEvent> again = List.of(bob, cy, dee, CommentEvent.deleted(deletedState(cy.comment())));
        for (CommentEvent event : again) {
            send(Topics.COMMENTS, postId, EventJson.write(new CommentEvent(UUID.randomUUID(), event.type(), event.schemaVersion(),
                    event.occurredAt(), postId, event.comment())));
        }
        CommentEvent marker = publishComment(postId, 4, null, "Eve", address("eve"), false, "the last one");
        awaitSettled(postId, 4);
        assertThat(deliveriesOf(postId)).containsAll(before);
        // Eve's comment mails the subscribed participants before it: Olga (the post's author) and Bob.
        assertThat(deliveriesOf(postId)).hasSize(before.size() + 2)
                .allMatch(row -> before.contains(row) || row.startsWith(marker.comment().id().toString()));
        assertThat(mailToDomain().size() - mailBefore).isEqualTo(count("select count(*) from delivery where post_id in (:posts)"
                + " and status = 'SENT' and comment_id = '" + marker.comment().id() + "'", List.of(postId)));
    }

    /** The post's delivery rows as "comment recipient status". */
    private List<String> deliveriesOf(UUID postId) {
        return jdbc.sql("select comment_id || ' ' || recipient_email || ' ' || status from delivery where post_id = :id order by 1")
                .param("id", postId).query(String.class).list();
    }

    /**
     * The PENDING path (a sender could claim it any moment), not the HELD one: a comment written "in
     * the future" is due only then, as it would be with a grace delay, and its deletion cancels it.
     */
    @Test
    void aPendingDeliveryWaitingForItsGraceTimeIsCancelledByTheDeletion() throws Exception {
        UUID postId = publishPost("Grace", "grace", "Olga", address("olga"));
        CommentEvent.CommentPosted later = postDueInTenMinutes(postId);
        CommentEvent other = publishComment(postId, 2, null, "Cy", address("cy"), false, "a comment that goes out");
        awaitFannedOut(postId, 2);
        assertThat(deliveryStatus(later.id(), address("olga"))).isEqualTo("PENDING");
        assertThat(jdbc.sql("select next_attempt_at > now() + interval '5 minutes' from delivery where comment_id = :id")
                .param("id", later.id()).query(Boolean.class).single()).isTrue();

        send(Topics.COMMENTS, postId, EventJson.write(CommentEvent.deleted(deletedState(later))));
        awaitSettled(postId);
        assertThat(deliveryStatus(later.id(), address("olga"))).isEqualTo("CANCELLED");
        assertThat(deliveryStatus(other.comment().id(), address("olga"))).isEqualTo("SENT");
        assertThat(replies(address("olga"))).hasSize(1);
        assertThat(ReceivedMail.part(replies(address("olga")).get(0), "text/plain")).contains("a comment that goes out");
    }

    /**
     * The sender's own check: a delivery already claimed when its comment is deleted is left alone by
     * the thread stage (a sender may be sending it), so the sender cancels it when it loads it. The
     * claim is the test's, standing in for a sender that claimed the row and stopped; when its lease
     * runs out a sender claims the row again and finds the comment deleted.
     */
    @Test
    void aDeliveryClaimedWhenItsCommentIsDeletedIsCancelledByTheSender() throws Exception {
        UUID postId = publishPost("Claimed", "claimed", "Olga", address("olga"));
        CommentEvent.CommentPosted later = postDueInTenMinutes(postId);
        awaitFannedOut(postId, 1);
        assertThat(jdbc.sql("""
                update delivery set claim_token = :token, next_attempt_at = now() + interval '10 seconds'
                 where comment_id = :id and status = 'PENDING'
                """).param("token", UUID.randomUUID()).param("id", later.id()).update()).isEqualTo(1);
        double cancelledBefore = cancelled();

        send(Topics.COMMENTS, postId, EventJson.write(CommentEvent.deleted(deletedState(later))));
        await().atMost(MAIL_WAIT).until(() -> jdbc.sql("select count(*) from thread_comment where comment_id = :id and deleted_at is not null")
                .param("id", later.id()).query(Long.class).single() == 1);
        // The deletion was recorded while the claim held, and the thread stage left the row to its sender.
        assertThat(jdbc.sql("select status || ' ' || (next_attempt_at > now()) from delivery where comment_id = :id")
                .param("id", later.id()).query(String.class).single()).isEqualTo("PENDING true");

        await().atMost(MAIL_WAIT).until(() -> "CANCELLED".equals(deliveryStatus(later.id(), address("olga"))));
        assertThat(jdbc.sql("select status_reason from delivery where comment_id = :id").param("id", later.id())
                .query(String.class).single()).isEqualTo(Threads.DELETED_REASON);
        assertThat(cancelled() - cancelledBefore).isEqualTo(1);
        CommentEvent other = publishComment(postId, 2, null, "Cy", address("cy"), false, "a comment that goes out");
        awaitSettled(postId, 2);
        assertThat(deliveryStatus(other.comment().id(), address("olga"))).isEqualTo("SENT");
        assertThat(replies(address("olga"))).hasSize(1);
        assertThat(ReceivedMail.part(replies(address("olga")).get(0), "text/plain")).contains("a comment that goes out")
                .doesNotContain("haste");
    }

    @Test
    void aCommentDeletedBeforeItsTurnIsRecordedCancelledAndItsAuthorStaysAParticipant() throws Exception {
        UUID postId = UUID.randomUUID();
        // The post's event comes last: the comments wait for it, and the deletion arrives before the fan-out.
        CommentEvent bob = publishComment(postId, 1, null, "Bob", address("bob"), true, "gone before anyone saw it");
        send(Topics.COMMENTS, postId, EventJson.write(CommentEvent.deleted(deletedState(bob.comment()))));
        await().atMost(MAIL_WAIT).until(() -> jdbc.sql("select count(*) from thread_comment where comment_id = :id and deleted_at is not null")
                .param("id", bob.comment().id()).query(Long.class).single() == 1);
        publishPost(postId, "Late post", "late-post", "Olga", address("olga"), 1);
        CommentEvent cy = publishComment(postId, 2, null, "Cy", address("cy"), false, "still here");
        awaitSettled(postId, 2);

        assertThat(deliveryStatus(bob.comment().id(), address("olga"))).isEqualTo("CANCELLED");
        assertThat(replies(address("olga"))).hasSize(1);
        assertThat(ReceivedMail.part(replies(address("olga")).get(0), "text/plain")).contains("still here");
        // Deleting a comment does not unsubscribe its author (the link in the emails does): Bob's mail waits for his confirmation.
        assertThat(deliveryStatus(cy.comment().id(), address("bob"))).isEqualTo("HELD");
    }

    @Test
    void anEditBeforeTheMailIsSentChangesTheMailsText() throws Exception {
        UUID postId = publishPost("Typos", "typos", "Olga", address("olga"));
        CommentEvent bob = publishComment(postId, 1, null, "Bob", address("bob"), true, "first");
        CommentEvent cy = publishComment(postId, 2, bob.comment().id(), "Cy", address("cy"), false, "Teh frist version");
        awaitSettled(postId, 2);
        assertThat(deliveryStatus(cy.comment().id(), address("bob"))).isEqualTo("HELD");

        CommentEvent.CommentPosted posted = cy.comment();
        Instant editedAt = Instant.now();
        CommentEvent edited = CommentEvent.edited(new CommentEvent.CommentPosted(posted.id(), postId, posted.parentId(), 2,
                posted.author(), false, "The first version, fixed", posted.createdAt(), editedAt, null));
        send(Topics.COMMENTS, postId, EventJson.write(edited));
        // An older edit replayed after it changes nothing.
        CommentEvent older = CommentEvent.edited(new CommentEvent.CommentPosted(posted.id(), postId,
                posted.parentId(), 2, posted.author(), false, "An older edit", posted.createdAt(), editedAt.minusSeconds(5), null));
        send(Topics.COMMENTS, postId, EventJson.write(older));
        await().atMost(MAIL_WAIT).until(() -> jdbc.sql("select count(*) from processed_event where event_id in (:ids)")
                .param("ids", List.of(edited.eventId(), older.eventId())).query(Long.class).single() == 2);
        await().atMost(MAIL_WAIT).until(() -> jdbc.sql("select count(*) from thread_comment where comment_id = :id and edited_at is not null")
                .param("id", posted.id()).query(Long.class).single() == 1);

        confirm(address("bob"), "Bob");
        awaitSettled(postId);
        List<MimeMessage> toBob = replies(address("bob"));
        assertThat(toBob).hasSize(1);
        assertThat(ReceivedMail.part(toBob.get(0), "text/plain")).contains("The first version, fixed")
                .doesNotContain("Teh frist").doesNotContain("older edit");
        // Olga's went out before the edit, with the text of then.
        assertThat(replies(address("olga"))).anySatisfy(mail -> assertThat(ReceivedMail.part(mail, "text/plain"))
                .contains("Teh frist version"));
    }

    @Test
    void aHiddenCommentsPendingMailIsCancelledAndStaysSoWhenItIsShownAgain() throws Exception {
        UUID postId = publishPost("Spam", "spam", "Olga", address("olga"));
        CommentEvent bob = publishComment(postId, 1, null, "Bob", address("bob"), true, "first");
        CommentEvent spam = publishComment(postId, 2, null, "Spammer", address("spammer"), false, "cheap pills");
        awaitSettled(postId, 2);
        assertThat(deliveryStatus(spam.comment().id(), address("bob"))).isEqualTo("HELD");

        CommentEvent.CommentPosted posted = spam.comment();
        CommentEvent.CommentPosted hiddenState = new CommentEvent.CommentPosted(posted.id(), postId, null, 2, posted.author(), false,
                posted.excerpt(), posted.createdAt(), null, null, Instant.now());
        send(Topics.COMMENTS, postId, EventJson.write(CommentEvent.hidden(hiddenState)));
        await().atMost(MAIL_WAIT).until(() -> "CANCELLED".equals(deliveryStatus(spam.comment().id(), address("bob"))));
        assertThat(jdbc.sql("select status_reason from delivery where comment_id = :id and recipient_email = :email")
                .param("id", spam.comment().id()).param("email", address("bob")).query(String.class).single())
                .isEqualTo("comment hidden by a moderator");
        CommentEvent unhidden = CommentEvent.unhidden(posted, Instant.now());
        send(Topics.COMMENTS, postId, EventJson.write(unhidden));
        CommentEvent later = publishComment(postId, 3, null, "Dee", address("dee"), false, "a fine comment");
        awaitSettled(postId, 3);
        await().atMost(MAIL_WAIT).until(() -> jdbc.sql("select count(*) from processed_event where event_id = :id")
                .param("id", unhidden.eventId()).query(Long.class).single() == 1);

        confirm(address("bob"), "Bob");
        awaitSettled(postId);
        assertThat(replies(address("bob"))).hasSize(1);
        assertThat(ReceivedMail.part(replies(address("bob")).get(0), "text/plain")).contains("a fine comment");
        assertThat(deliveryStatus(spam.comment().id(), address("bob"))).isEqualTo("CANCELLED");
        assertThat(deliveryStatus(later.comment().id(), address("bob"))).isEqualTo("SENT");
        assertThat(jdbc.sql("select count(*) from thread_comment where comment_id = :id and hidden_at is null")
                .param("id", spam.comment().id()).query(Long.class).single()).isEqualTo(1);
    }

    /**
     * Bob's first comment, written "in the future": its deliveries are PENDING and due only then, as
     * they would be with a grace delay.
     */
    private CommentEvent.CommentPosted postDueInTenMinutes(UUID postId) {
        CommentEvent.CommentPosted later = new CommentEvent.CommentPosted(UUID.randomUUID(), postId, null, 1,
                new Person("Bob", address("bob")), false, "posted in haste", Instant.now().plusSeconds(600));
        send(Topics.COMMENTS, postId, EventJson.write(CommentEvent.posted(later)));
        return later;
    }

    private List<MimeMessage> replies(String address) {
        return mailTo(address).stream().filter(message -> !isConfirmation(message)).toList();
    }

    private double cancelled() {
        Counter counter = meters.find("notifications.deliveries.cancelled").tag("reason", "deleted").counter();
        return counter == null ? 0 : counter.count();
    }

    private static CommentEvent.CommentPosted deletedState(CommentEvent.CommentPosted posted) {
        Instant now = Instant.now();
        return new CommentEvent.CommentPosted(posted.id(), posted.postId(), posted.parentId(), posted.position(),
                new Person(CommentEvent.DELETED_NAME, posted.author().email()), posted.notifyOnReply(), "", posted.createdAt(), null, now);
    }
}
