package org.replyensemble.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.notifications.unsubscribe.UnsubscribeScope;
import org.replyensemble.notifications.unsubscribe.UnsubscribeTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/**
 * What a stranger on the internet can make the service send, tried as issue 7 describes: the
 * comments are anonymous and anyone can type anyone's address.
 */
class AbuseTest extends FlowTest {

    private static final int DAILY_CAP = 50;

    @Autowired
    MeterRegistry meters;
    @Autowired
    UnsubscribeTokens unsubscribeTokens;

    /**
     * One post, then N comments each with a new victim's address: before, N(N+1)/2 emails with the
     * attacker's text. Now each victim gets one confirmation email quoting nothing the attacker
     * wrote, and the post's author (confirmed) at most the daily cap.
     */
    @Test
    void commentsWithStrangersAddressesGiveEachOneConfirmationEmailAndNothingElse() {
        int victims = 60;
        double skippedBefore = counter("skipped");
        UUID postId = publishPost("Attacked", "attacked", "Olga", address("olga"));
        for (int i = 1; i <= victims; i++) {
            publishComment(postId, i, null, "Attacker", address("victim" + i), true, "BUY NOW at http://spam.example");
        }
        awaitSettled(postId, victims);

        Map<String, List<MimeMessage>> byRecipient = mailToDomain().stream()
                .collect(Collectors.groupingBy(ReceivedMail::recipient));
        for (int i = 1; i <= victims; i++) {
            assertThat(byRecipient.get(address("victim" + i))).as("victim %d", i).singleElement().satisfies(mail -> {
                assertThat(isConfirmation(mail)).isTrue();
                assertThat(ReceivedMail.part(mail, "text/plain")).doesNotContain("BUY NOW").doesNotContain("spam.example")
                        .doesNotContain("Attacker");
            });
        }
        // The post's author is confirmed: the first 50 of that day, the other 10 skipped with the reason.
        assertThat(byRecipient.get(address("olga"))).hasSize(DAILY_CAP).noneMatch(FlowTest::isConfirmation);
        assertThat(byRecipient).hasSize(victims + 1);
        assertThat(mailToDomain()).hasSize(victims + DAILY_CAP);
        assertThat(jdbc.sql("""
                select count(*) from delivery where post_id = :post and recipient_email = :olga and status = 'SKIPPED'
                   and status_reason = 'daily cap of 50 emails to this recipient reached'""")
                .param("post", postId).param("olga", address("olga")).query(Long.class).single()).isEqualTo(10);
        assertThat(counter("skipped") - skippedBefore).isEqualTo(10);
        // What the victims' threads would have sent is held, never mailed, until each confirms.
        assertThat(jdbc.sql("select count(*) from delivery where post_id = :post and status = 'HELD'")
                .param("post", postId).query(Long.class).single()).isEqualTo((long) victims * (victims - 1) / 2);
    }

    /** victim+1@, victim+2@ ... all reach one inbox: one confirmation email a day, three ever while unanswered. */
    @Test
    void plusAddressesIntoOneMailboxGetAtMostOneConfirmationADayAndThreeEver() throws Exception {
        UUID postId = publishPost("Plus flood", "plus-flood", "Olga", address("olga"));
        int position = 0;
        for (int day = 1; day <= 4; day++) {
            for (int i = 0; i < 5; i++) {
                position++;
                publishComment(postId, position, null, "Attacker", "victim+" + position + "@" + domain, true, "flood");
            }
            awaitSettled(postId, position);
            assertThat(confirmationsTo("victim")).as("after day %d", day).isEqualTo(Math.min(day, 3));
            aDayPasses("victim@" + domain);
        }

        // The owner confirms one variant: the mailbox has answered, and may be asked again (a day later).
        List<MimeMessage> confirmations = mailToDomain().stream().filter(FlowTest::isConfirmation).toList();
        http.perform(post("/confirm").param("token", confirmationToken(confirmations.get(0))).accept(MediaType.TEXT_HTML))
                .andExpect(status().isOk());
        publishComment(postId, ++position, null, "Attacker", "victim+again@" + domain, true, "flood");
        awaitSettled(postId, position);
        assertThat(confirmationsTo("victim")).isEqualTo(4);
    }

    /**
     * Somebody writes a comment with Ann's address, notify:false and another name: before, that
     * silenced Ann in the thread and renamed her. Now a comment changes neither.
     */
    @Test
    void aCommentWithSomeoneElsesAddressNeitherSilencesNorRenamesThem() throws Exception {
        confirm(address("ann"), "Ann");
        confirm(address("bob"), "Bob");
        UUID postId = publishPost("Spoofed", "spoofed", "Olga", address("olga"));
        publishComment(postId, 1, null, "Ann", address("ann"), true, "Ann's own comment");
        publishComment(postId, 2, null, "Fool", " ANN@" + domain.toUpperCase(), false, "not Ann at all");
        CommentEvent bob = publishComment(postId, 3, null, "Bob", address("bob"), true, "after the spoof");
        awaitSettled(postId, 3);

        assertThat(deliveryStatus(bob.comment().id(), address("ann"))).isEqualTo("SENT");
        MimeMessage toAnn = mailTo(address("ann")).get(mailTo(address("ann")).size() - 1);
        assertThat(ReceivedMail.part(toAnn, "text/plain")).startsWith("Hello Ann,").doesNotContain("Fool");
        assertThat(ReceivedMail.header(toAnn, "To")).doesNotContain("Fool");
        assertThat(jdbc.sql("select greeting_name from address where email = :email").param("email", address("ann"))
                .query(String.class).single()).isEqualTo("Ann");
    }

    /** Unsubscribing from a thread is not for ever: the owner's own comment asking for replies subscribes them again. */
    @Test
    void aConfirmedPersonWhoCommentsAgainAfterUnsubscribingIsSubscribedAgain() throws Exception {
        confirm(address("ann"), "Ann");
        confirm(address("bob"), "Bob");
        UUID postId = publishPost("Back again", "back-again", "Olga", address("olga"));
        publishComment(postId, 1, null, "Ann", address("ann"), true, "first");
        http.perform(post("/unsubscribe").param("token", unsubscribeTokens.sign(UnsubscribeScope.thread(address("ann"), postId)))
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("List-Unsubscribe=One-Click"))
                .andExpect(status().isNoContent());
        CommentEvent whileAway = publishComment(postId, 2, null, "Bob", address("bob"), true, "while Ann is away");
        publishComment(postId, 3, null, "Ann", address("ann"), true, "I am back");
        CommentEvent afterReturn = publishComment(postId, 4, null, "Bob", address("bob"), true, "welcome back");
        awaitSettled(postId, 4);

        assertThat(deliveryStatus(whileAway.comment().id(), address("ann"))).isNull();
        assertThat(deliveryStatus(afterReturn.comment().id(), address("ann"))).isEqualTo("SENT");
        assertThat(mailTo(address("ann"))).hasSize(1);
    }

    private long confirmationsTo(String localPart) {
        return mailToDomain().stream().filter(FlowTest::isConfirmation)
                .filter(m -> ReceivedMail.recipient(m).startsWith(localPart)).count();
    }

    /** Moves the mailbox's last confirmation email a day back: the day between two rounds, without waiting for it. */
    private void aDayPasses(String mailbox) {
        jdbc.sql("update mailbox set last_confirmation_at = last_confirmation_at - interval '1 day' where mailbox = :m")
                .param("m", mailbox).update();
    }

    private double counter(String outcome) {
        var counter = meters.find("notifications.emails").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
