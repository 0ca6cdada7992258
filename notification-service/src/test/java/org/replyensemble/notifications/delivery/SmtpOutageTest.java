package org.replyensemble.notifications.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.notifications.ReceivedMail;
import org.replyensemble.notifications.RefusingSmtpServer;
import org.replyensemble.notifications.threads.Threads;
import org.replyensemble.testing.SharedPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The mail server is away when the deliveries are due: they stay PENDING, their attempts are
 * counted with the error, and they go out once the server is back. Back, it first answers the
 * recipient with a temporary 451 that names the address, as real servers do: the stored error
 * keeps the reply but masks the address. Events are recorded
 * directly (listeners off, a group of its own) so this context never competes with the others
 * for the shared broker's records.
 */
@SpringBootTest(properties = {
        "spring.config.name=notification-service",
        "management.server.port=0",
        "spring.kafka.listener.auto-startup=false",
        "spring.kafka.consumer.group-id=notification-service-smtp-outage",
        "spring.mail.host=127.0.0.1",
        "notifications.tokens.secrets=smtp-outage-tests-own-secret-0123456789",
        "ensemble.erasure.key=smtp-outage-tests-own-erasure-key-0123456789",
        "notifications.delivery.poll-interval=100ms",
        "notifications.delivery.backoff-base=100ms",
        "notifications.delivery.backoff-max=400ms",
        "notifications.delivery.max-attempts=1000" })
class SmtpOutageTest {

    private static final int SMTP_PORT = freePort();
    /** RefusingSmtpServer answers 451 (try again later) the first time for a local part starting with "busy". */
    private static final String ADDRESS = "busy-olga@outage.example.org";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedPostgres.registerNewDatabase(registry, "notifications");
        registry.add("spring.mail.port", () -> SMTP_PORT);
    }

    @Autowired
    Threads threads;
    @Autowired
    Deliveries deliveries;
    @Autowired
    JdbcClient jdbc;

    @Test
    void deliveriesWaitForTheMailServerAndGoOutWhenItIsBack() {
        UUID postId = UUID.randomUUID();
        threads.recordPost(PostEvent.of(PostEvent.PUBLISHED, new PostEvent.PostState(postId, "outage", "Outage", "body",
                new Person("Olga", ADDRESS), Instant.now(), true, 1), Instant.now()));
        UUID commentId = UUID.randomUUID();
        // notify:false, so Ann (unconfirmed) asks for no confirmation email: the one email here is Olga's.
        threads.recordComment(CommentEvent.posted(new CommentEvent.CommentPosted(commentId, postId, null, 1,
                new Person("Ann", "ann@outage.example.org"), false, "while the server is down", Instant.now())));

        await().atMost(Duration.ofSeconds(20)).until(() -> delivery(commentId).attempts() >= 2);
        DeliveryView waiting = delivery(commentId);
        assertThat(waiting.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(waiting.lastError()).isNotBlank().doesNotContain(ADDRESS);
        assertThat(waiting.sentAt()).isNull();

        GreenMail smtp = new RefusingSmtpServer(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            // The reply's text, not its code: "451" alone also matches a refused connection's port (44519).
            String busy = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> rawLastError(commentId), error -> error.contains("Mailbox busy"));
            // The column itself, not the operator view (which masks again): the server's reply named the address.
            assertThat(busy).contains("451").doesNotContain(ADDRESS).contains("b***@outage.example.org");
            await().atMost(Duration.ofSeconds(20)).until(() -> delivery(commentId).status() == DeliveryStatus.SENT);
            // Settled: nothing more arrives for a while after the SENT mark.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> smtp.getReceivedMessages().length == 1);
            assertThat(ReceivedMail.recipient(smtp.getReceivedMessages()[0])).isEqualTo(ADDRESS);
            assertThat(delivery(commentId).attempts()).isGreaterThan(waiting.attempts());
        } finally {
            smtp.stop();
        }
    }

    private String rawLastError(UUID commentId) {
        return jdbc.sql("select coalesce(last_error, '') from delivery where comment_id = :id").param("id", commentId)
                .query(String.class).single();
    }

    private DeliveryView delivery(UUID commentId) {
        return deliveries.find(commentId, null, 0, 10).get(0);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
