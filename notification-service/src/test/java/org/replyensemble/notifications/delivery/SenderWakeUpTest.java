package org.replyensemble.notifications.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.notifications.ReceivedMail;
import org.replyensemble.notifications.confirmations.ConfirmedBy;
import org.replyensemble.notifications.confirmations.Confirmations;
import org.replyensemble.notifications.threads.Threads;
import org.replyensemble.testing.SharedPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The senders are woken by what the thread stage records, only as many as the rows need (see
 * DeliverySender#onDeliveriesRecorded): with a poll far longer than the test, every email here
 * arrives only because its recording woke a sender. Each kind is covered: a thread update, a direct
 * reply, a confirmation email, a fan-out of three batches (two senders woken; a sender whose batch
 * was full goes on) and held deliveries released by a confirmation. Events are recorded
 * directly (listeners off, a group of its own, like SmtpOutageTest); its own SMTP server.
 */
@SpringBootTest(properties = {
        "spring.config.name=notification-service",
        "management.server.port=0",
        "spring.kafka.listener.auto-startup=false",
        "spring.kafka.consumer.group-id=notification-service-sender-wake-up",
        "spring.mail.host=127.0.0.1",
        "notifications.tokens.secrets=sender-wake-up-tests-own-secret-0123456789",
        "ensemble.erasure.key=sender-wake-up-tests-own-erasure-key-0123456789",
        "notifications.delivery.poll-interval=10m",
        "notifications.delivery.batch-size=2",
        "notifications.delivery.senders=2",
        // One email per recipient per comment: the counts below are the rules', not a window's.
        "notifications.flood-control.enabled=false" })
class SenderWakeUpTest {

    /** Far shorter than the poll: only a wake-up sends within it. */
    private static final Duration WOKEN_WITHIN = Duration.ofSeconds(15);
    private static final GreenMail SMTP = startSmtp();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedPostgres.registerNewDatabase(registry, "notifications");
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
    }

    @Autowired
    Threads threads;
    @Autowired
    Confirmations confirmations;

    @Test
    void everyEmailGoesWhenItIsRecordedNotAtTheNextPoll() {
        String olga = "olga@wake-up.example.org";
        String bob = "bob@wake-up.example.org";
        UUID postId = UUID.randomUUID();
        threads.recordPost(PostEvent.of(PostEvent.PUBLISHED, new PostEvent.PostState(postId, "wake-up", "Waking up", "body",
                new Person("Olga", olga), Instant.now(), true, 1), Instant.now()));

        // Bob, unconfirmed, asks for replies: Olga's thread update and Bob's confirmation email.
        UUID bobs = comment(postId, 1, null, "Bob", bob, true);
        settles(olga, 1, bob, 1);
        assertThat(ReceivedMail.header(mailTo(bob).get(0), "Subject")).containsIgnoringCase("confirm");

        // Confirmed, Bob gets a direct reply at once (and Olga her update).
        confirmations.confirm(bob, "Bob", ConfirmedBy.OPERATOR);
        comment(postId, 2, bobs, "Carl", "carl@wake-up.example.org", false);
        settles(olga, 2, bob, 2);

        // Three more participants, then one comment with five recipients: three batches of two.
        List<String> others = List.of("dan@wake-up.example.org", "eve@wake-up.example.org", "fay@wake-up.example.org");
        for (int i = 0; i < others.size(); i++) {
            confirmations.confirm(others.get(i), "Reader " + i, ConfirmedBy.OPERATOR);
            comment(postId, 3 + i, null, "Reader " + i, others.get(i), true);
        }
        comment(postId, 6, null, "Gus", "gus@wake-up.example.org", false);
        // Olga: 2 + 3 updates + Gus's; Bob: 2 + the same 4; Dan 3 (Eve's, Fay's, Gus's), Eve 2, Fay 1.
        settles(olga, 6, bob, 6);
        assertThat(mailTo(others.get(0))).hasSize(3);
        assertThat(mailTo(others.get(1))).hasSize(2);
        assertThat(mailTo(others.get(2))).hasSize(1);

        // Hal, unconfirmed, is answered: the reply is held (he gets only his confirmation email) until
        // he confirms, and is sent then.
        String hal = "hal@wake-up.example.org";
        UUID hals = comment(postId, 7, null, "Hal", hal, true);
        comment(postId, 8, hals, "Ivy", "ivy@wake-up.example.org", false);
        settles(olga, 8, hal, 1);
        assertThat(confirmations.confirm(hal, "Hal", ConfirmedBy.OPERATOR).released()).isEqualTo(1);
        settles(olga, 8, hal, 2);
    }

    private UUID comment(UUID postId, int position, UUID parentId, String name, String email, boolean notify) {
        UUID id = UUID.randomUUID();
        threads.recordComment(CommentEvent.posted(new CommentEvent.CommentPosted(id, postId, parentId, position,
                new Person(name, email), notify, "comment " + position, Instant.now())));
        return id;
    }

    /** Both counts reached within WOKEN_WITHIN, and no more arrive for a second after. */
    private static void settles(String first, int firstCount, String second, int secondCount) {
        await().atMost(WOKEN_WITHIN).until(() -> mailTo(first).size() >= firstCount && mailTo(second).size() >= secondCount);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> mailTo(first).size() == firstCount && mailTo(second).size() == secondCount);
    }

    private static List<jakarta.mail.internet.MimeMessage> mailTo(String address) {
        return ReceivedMail.to(SMTP.getReceivedMessages(), address);
    }

    private static GreenMail startSmtp() {
        GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        Runtime.getRuntime().addShutdownHook(new Thread(smtp::stop, "sender-wake-up-smtp-stop"));
        return smtp;
    }
}
