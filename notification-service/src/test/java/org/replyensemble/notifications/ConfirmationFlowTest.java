package org.replyensemble.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.notifications.confirmations.ConfirmationProperties;
import org.replyensemble.notifications.confirmations.HeldDeliveries;
import org.replyensemble.notifications.email.MessageIds;
import org.replyensemble.notifications.unsubscribe.UnsubscribeScope;
import org.replyensemble.notifications.unsubscribe.UnsubscribeTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/**
 * Double opt-in as a commenter lives it: their first comment asking for replies brings one
 * confirmation email; replies to them wait (HELD) until they open its link and confirm, and are
 * dropped if they never do; "this was not me" silences the mailbox; an operator can confirm.
 */
class ConfirmationFlowTest extends FlowTest {

    @Autowired
    HeldDeliveries held;
    @Autowired
    ConfirmationProperties confirmation;
    @Autowired
    UnsubscribeTokens unsubscribeTokens;

    @Test
    void repliesWaitForTheOwnerToConfirmThroughTheLinkAndThenGoOut() throws Exception {
        confirm(address("bob"), "Bob");
        UUID postId = publishPost("Opt-in", "opt-in", "Olga", address("olga"));
        CommentEvent ann = publishComment(postId, 1, null, "Ann", address("ann"), true, "first");
        CommentEvent bob = publishComment(postId, 2, ann.comment().id(), "Bob", address("bob"), true, "a reply to Ann");
        publishComment(postId, 3, null, "Ann", address("ann"), true, "Ann again");

        awaitSettled(postId, 3);
        // Ann got her confirmation email and nothing else; Bob's reply to her waits.
        MimeMessage confirmationMail = mailTo(address("ann")).get(0);
        assertThat(mailTo(address("ann"))).hasSize(1);
        assertThat(ReceivedMail.subject(confirmationMail)).isEqualTo("Please confirm your email address for reply notifications");
        assertThat(confirmationMail.getMessageID())
                .isEqualTo(MessageIds.forConfirmation(ann.comment().id(), address("ann"), "replyensemble.local"));
        assertThat(ReceivedMail.header(confirmationMail, "Auto-Submitted")).isEqualTo("auto-generated");
        assertThat(ReceivedMail.header(confirmationMail, "List-Unsubscribe")).isNull();
        assertThat(ReceivedMail.part(confirmationMail, "text/plain")).contains("\"Opt-in\"").doesNotContain("first");
        assertThat(deliveryStatus(bob.comment().id(), address("ann"))).isEqualTo("HELD");
        assertThat(mailTo(address("bob"))).hasSize(1); // Ann's second comment: Bob is confirmed

        String token = confirmationToken(confirmationMail);
        // Opening the link (as a mail scanner does) shows the page and changes nothing.
        http.perform(get("/confirm").param("token", token).accept(MediaType.TEXT_HTML))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Confirm my address")))
                .andExpect(content().string(containsString("a***@" + domain)))
                .andExpect(content().string(containsString("Opt-in")))
                .andExpect(content().string(not(containsString(address("ann")))));
        assertThat(deliveryStatus(bob.comment().id(), address("ann"))).isEqualTo("HELD");
        assertThat(confirmed(address("ann"))).isFalse();

        http.perform(post("/confirm").param("token", token).param("decision", "confirm").accept(MediaType.TEXT_HTML))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Your address is confirmed")))
                .andExpect(content().string(not(containsString(address("ann")))));

        awaitMail(address("ann"), 2);
        MimeMessage reply = mailTo(address("ann")).get(1);
        assertThat(ReceivedMail.subject(reply)).isEqualTo("Bob replied to your comment on Opt-in");
        assertThat(ReceivedMail.part(reply, "text/plain")).startsWith("Hello Ann,");
        awaitSettled(postId);
        assertThat(mailToDomain()).hasSize(6); // olga 3, ann 1 confirmation + 1 reply, bob 1
        // Confirmed once, for every thread: her next comment elsewhere asks for nothing.
        UUID elsewhere = publishPost("Elsewhere", "elsewhere", "Olga", address("olga"));
        publishComment(elsewhere, 1, null, "Ann", address("ann"), true, "hello again");
        awaitFannedOut(elsewhere, 1);
        awaitSettled(postId, elsewhere);
        assertThat(mailTo(address("ann"))).hasSize(2);
        // The link again: the page says so, nothing more happens.
        http.perform(get("/confirm").param("token", token).accept(MediaType.TEXT_HTML))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Your address is confirmed")));
    }

    @Test
    void heldRepliesAreDroppedWithAReasonWhenTheValidityPassesUnconfirmed() throws Exception {
        confirm(address("bob"), "Bob");
        UUID postId = publishPost("Never confirmed", "never-confirmed", "Olga", address("olga"));
        publishComment(postId, 1, null, "Cy", address("cy"), true, "first");
        CommentEvent bob = publishComment(postId, 2, null, "Bob", address("bob"), true, "second");
        awaitSettled(postId, 2);
        assertThat(deliveryStatus(bob.comment().id(), address("cy"))).isEqualTo("HELD");

        // The sweep as it runs once the validity has passed (a clock moved forward, not a sleep).
        Instant later = Instant.now().plus(confirmation.validity()).plus(Duration.ofMinutes(1));
        assertThat(held.dropExpired(later)).isGreaterThanOrEqualTo(1);

        assertThat(deliveryStatus(bob.comment().id(), address("cy"))).isEqualTo("DROPPED");
        assertThat(jdbc.sql("select status_reason from delivery where comment_id = :id and recipient_email = :email")
                .param("id", bob.comment().id()).param("email", address("cy")).query(String.class).single())
                .isEqualTo("address not confirmed within 7 days");
        // Confirming now (the link is still valid for the test) releases nothing: what was dropped stays dropped.
        http.perform(post("/confirm").param("token", confirmationToken(mailTo(address("cy")).get(0))).accept(MediaType.TEXT_HTML))
                .andExpect(status().isOk());
        awaitSettled(postId);
        assertThat(mailTo(address("cy"))).hasSize(1).allMatch(FlowTest::isConfirmation);
    }

    @Test
    void thisWasNotMeSilencesTheMailboxAndDropsWhatWasHeld() throws Exception {
        confirm(address("bob"), "Bob");
        UUID postId = publishPost("Not me", "not-me", "Olga", address("olga"));
        publishComment(postId, 1, null, "Someone", address("dan"), true, "with Dan's address");
        CommentEvent bob = publishComment(postId, 2, null, "Bob", address("bob"), true, "second");
        awaitSettled(postId, 2);
        String token = confirmationToken(mailTo(address("dan")).get(0));

        http.perform(post("/confirm").param("token", token).param("decision", "not-me").accept(MediaType.TEXT_HTML))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("We will not email this address")))
                .andExpect(content().string(not(containsString(address("dan")))));
        assertThat(deliveryStatus(bob.comment().id(), address("dan"))).isEqualTo("DROPPED");

        // Another variant of the same mailbox, days later: no confirmation email, nothing held.
        jdbc.sql("update mailbox set last_confirmation_at = last_confirmation_at - interval '2 days' where mailbox = :m")
                .param("m", address("dan")).update();
        CommentEvent variant = publishComment(postId, 3, null, "Someone", "dan+again@" + domain, true, "again");
        publishComment(postId, 4, null, "Bob", address("bob"), true, "fourth");
        awaitSettled(postId, 4);
        assertThat(deliveryStatus(variant.comment().id(), "dan+again@" + domain)).isNull();
        assertThat(mailToDomain()).filteredOn(m -> ReceivedMail.recipient(m).startsWith("dan")).hasSize(1);
    }

    @Test
    void anOperatorConfirmsWithTheAddressInTheBodyAndSeesItMasked() throws Exception {
        confirm(address("bob"), "Bob");
        UUID postId = publishPost("Support", "support", "Olga", address("olga"));
        publishComment(postId, 1, null, "Eve", address("eve"), true, "first");
        CommentEvent bob = publishComment(postId, 2, null, "Bob", address("bob"), true, "second");
        awaitSettled(postId, 2);

        String answer = http.perform(operator(post("/api/addresses/confirmations"))
                        .content("{\"email\":\"EVE@" + domain.toUpperCase() + "\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.address").value("e***@" + domain))
                .andExpect(jsonPath("$.confirmed").value(true))
                .andExpect(jsonPath("$.newlyConfirmed").value(true))
                .andExpect(jsonPath("$.released").value(1))
                .andReturn().getResponse().getContentAsString();
        assertThat(answer).doesNotContain(address("eve"));
        awaitMail(address("eve"), 2);
        assertThat(ReceivedMail.part(mailTo(address("eve")).get(1), "text/plain")).startsWith("Hello Eve,");
        assertThat(deliveryStatus(bob.comment().id(), address("eve"))).isEqualTo("SENT");

        http.perform(operator(post("/api/addresses/confirmations"))
                        .content("{\"email\":\"" + address("eve") + "\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.newlyConfirmed").value(false))
                .andExpect(jsonPath("$.released").value(0));
        long addressesBefore = jdbc.sql("select count(*) from address").query(Long.class).single();
        for (String invalid : List.of("{\"email\":\"not-an-address\"}", "{\"email\":\"\"}", "{}",
                "{\"email\":\"a@b.org\",\"name\":\"line\\nbreak\"}")) {
            http.perform(operator(post("/api/addresses/confirmations")).content(invalid))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        }
        http.perform(operator(post("/api/addresses/confirmations")).content("{not json"))
                .andExpect(status().isBadRequest());
        assertThat(jdbc.sql("select count(*) from address").query(Long.class).single()).isEqualTo(addressesBefore);
    }

    @Test
    void aLinkMadeForOnePurposeDoesNothingElse() throws Exception {
        String unsubscribe = unsubscribeTokens.sign(UnsubscribeScope.everything(address("fay")));
        http.perform(get("/confirm").param("token", unsubscribe).accept(MediaType.TEXT_HTML))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("not a confirmation link")));
        http.perform(post("/confirm").param("token", unsubscribe).accept(MediaType.TEXT_HTML))
                .andExpect(status().isBadRequest());
        http.perform(post("/confirm").param("token", unsubscribe).accept(MediaType.APPLICATION_JSON))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("https://replyensemble.org/problems/invalid-confirmation-token"));
        assertThat(confirmed(address("fay"))).isFalse();

        confirm(address("bob"), "Bob");
        UUID postId = publishPost("Purposes", "purposes", "Olga", address("olga"));
        publishComment(postId, 1, null, "Fay", address("fay"), true, "first");
        await().atMost(MAIL_WAIT).until(() -> !mailTo(address("fay")).isEmpty());
        String confirmToken = confirmationToken(mailTo(address("fay")).get(0));
        http.perform(post("/unsubscribe").param("token", confirmToken).accept(MediaType.TEXT_HTML))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("not an unsubscribe link")));
        assertThat(jdbc.sql("select count(*) from thread_preference where email = :email").param("email", address("fay"))
                .query(Long.class).single()).isZero();
        http.perform(get("/confirm").param("token", confirmToken + "x").accept(MediaType.TEXT_HTML))
                .andExpect(status().isBadRequest());
    }

    private boolean confirmed(String email) {
        return jdbc.sql("select confirmed_at is not null from address where email = :email").param("email", email)
                .query(Boolean.class).optional().orElse(false);
    }
}
