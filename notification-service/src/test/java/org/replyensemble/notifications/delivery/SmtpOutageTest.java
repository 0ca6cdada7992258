package org.replyensemble.notifications.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.notifications.ReceivedMail;
import org.replyensemble.notifications.threads.Threads;
import org.replyensemble.testing.SharedPostgres;
import org.replyensemble.testing.TestMailServer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The mail server is away when the deliveries are due: they stay PENDING, their attempts are
 * counted with the (masked) error, and they go out once the server is back. Events are recorded
 * directly (listeners off, a group of its own) so this context never competes with the others
 * for the shared broker's records.
 */
@SpringBootTest(properties = {
        "spring.config.name=notification-service",
        "management.server.port=0",
        "spring.kafka.listener.auto-startup=false",
        "spring.kafka.consumer.group-id=notification-service-smtp-outage",
        "notifications.tokens.secrets=smtp-outage-tests-own-secret-0123456789",
        "notifications.delivery.poll-interval=100ms",
        "notifications.delivery.backoff-base=100ms",
        "notifications.delivery.backoff-max=400ms",
        "notifications.delivery.max-attempts=1000" })
class SmtpOutageTest {

    private static final TestMailServer SMTP = TestMailServer.onFreePort();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedPostgres.registerNewDatabase(registry, "notifications");
        registry.add("spring.mail.host", SMTP::host);
        registry.add("spring.mail.port", SMTP::smtpPort);
    }

    @Autowired
    Threads threads;
    @Autowired
    Deliveries deliveries;

    @Test
    void deliveriesWaitForTheMailServerAndGoOutWhenItIsBack() {
        UUID postId = UUID.randomUUID();
        threads.recordPost(PostEvent.of(PostEvent.PUBLISHED, new PostEvent.PostState(postId, "outage", "Outage", "body",
                new Person("Olga", "olga@outage.example.org"), Instant.now(), true, 1), Instant.now()));
        UUID commentId = UUID.randomUUID();
        // notify:false, so Ann (unconfirmed) asks for no confirmation email: the one email here is Olga's.
        threads.recordComment(CommentEvent.posted(new CommentEvent.CommentPosted(commentId, postId, null, 1,
                new Person("Ann", "ann@outage.example.org"), false, "while the server is down", Instant.now())));

        await().atMost(Duration.ofSeconds(20)).until(() -> delivery(commentId).attempts() >= 2);
        DeliveryView waiting = delivery(commentId);
        assertThat(waiting.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(waiting.lastError()).isNotBlank().doesNotContain("olga@outage.example.org");
        assertThat(waiting.sentAt()).isNull();

        TestMailServer smtp = SMTP.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> delivery(commentId).status() == DeliveryStatus.SENT);
            assertThat(smtp.getReceivedMessages()).hasSize(1);
            assertThat(ReceivedMail.recipient(smtp.getReceivedMessages()[0])).isEqualTo("olga@outage.example.org");
            assertThat(delivery(commentId).attempts()).isGreaterThan(waiting.attempts());
        } finally {
            smtp.stop();
        }
    }

    private DeliveryView delivery(UUID commentId) {
        return deliveries.find(commentId, null, 0, 10).get(0);
    }
}
