package org.replyensemble.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.replyensemble.events.CommentEvent;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * What the mail server answers decides what happens next: a permanent rejection of the recipient
 * (550 unknown user) fails the delivery at once, and three in a row suppress the address; a
 * temporary one (451) is retried. The server's texts name the recipient: logged masked.
 */
@ExtendWith(OutputCaptureExtension.class)
class MailHygieneTest extends FlowTest {

    @Autowired
    MeterRegistry meters;
    @Autowired
    JavaMailSender mailSender;

    @Test
    void aPermanentRejectionFailsAtOnceAndRepeatedOnesSuppressTheAddress(CapturedOutput output) throws Exception {
        String unknown = address("unknown-ann");
        confirm(unknown, "Ann");
        confirm(address("bob"), "Bob");
        double suppressedBefore = suppressedByBounces();
        UUID postId = publishPost("Bounces", "bounces", "Olga", address("olga"));
        publishComment(postId, 1, null, "Ann", unknown, true, "first");
        List<UUID> bobs = List.of(
                publishComment(postId, 2, null, "Bob", address("bob"), true, "two").comment().id(),
                publishComment(postId, 3, null, "Bob", address("bob"), true, "three").comment().id(),
                publishComment(postId, 4, null, "Bob", address("bob"), true, "four").comment().id());
        awaitSettled(postId, 4);

        for (UUID comment : bobs) {
            Map<String, Object> delivery = jdbc.sql("""
                    select status, attempts, status_reason, last_error from delivery where comment_id = :id and recipient_email = :email""")
                    .param("id", comment).param("email", unknown).query().singleRow();
            assertThat(delivery).containsEntry("status", "FAILED").containsEntry("attempts", 1)
                    .containsEntry("status_reason", "the recipient's mail server rejected the address (hard bounce)");
            assertThat((String) delivery.get("last_error")).contains("550").contains("u***@" + domain).doesNotContain(unknown);
        }
        assertThat(jdbc.sql("select suppression_reason from address where email = :email").param("email", unknown)
                .query(String.class).single()).isEqualTo("HARD_BOUNCE");
        assertThat(suppressedByBounces() - suppressedBefore).isEqualTo(1);
        assertThat(mailTo(unknown)).isEmpty();
        assertThat(mailTo(address("olga"))).hasSize(4); // the same batches' other emails went out

        // Suppressed: the next comment does not even write a delivery for the address.
        CommentEvent later = publishComment(postId, 5, null, "Bob", address("bob"), true, "five");
        awaitSettled(postId, 5);
        assertThat(deliveryStatus(later.comment().id(), unknown)).isNull();

        List<String> senderLines = output.getAll().lines().filter(line -> line.contains("DeliverySender")).toList();
        assertThat(senderLines).anyMatch(line -> line.contains("rejected for good") && line.contains("u***@" + domain));
        assertThat(senderLines).noneMatch(line -> line.contains(unknown));
    }

    @Test
    void aTemporaryRejectionIsRetried() throws Exception {
        String busy = address("busy-bob");
        confirm(busy, "Bob");
        UUID postId = publishPost("Busy", "busy", "Olga", address("olga"));
        publishComment(postId, 1, null, "Bob", busy, true, "first");
        CommentEvent ann = publishComment(postId, 2, null, "Olga", address("olga"), true, "second");
        awaitFannedOut(postId, 2);
        await().atMost(MAIL_WAIT).until(() -> "SENT".equals(deliveryStatus(ann.comment().id(), busy)));
        awaitSettled(postId);

        assertThat(jdbc.sql("select attempts from delivery where comment_id = :id and recipient_email = :email")
                .param("id", ann.comment().id()).param("email", busy).query(Integer.class).single()).isEqualTo(2);
        assertThat(mailTo(busy)).hasSize(1);
        assertThat(jdbc.sql("select hard_bounces from address where email = :email").param("email", busy)
                .query(Integer.class).single()).isZero();
    }

    /** Every connection's write timeout on one shared timer, not a thread Angus starts per connection. */
    @Test
    void theMailSessionSharesOneWriteTimeoutTimer() {
        Properties session = ((JavaMailSenderImpl) mailSender).getSession().getProperties();
        assertThat(session.getProperty("mail.smtp.writetimeout")).isEqualTo("10000");
        assertThat(session.get("mail.smtp.executor.writetimeout")).isInstanceOf(ScheduledExecutorService.class);
    }

    private double suppressedByBounces() {
        var counter = meters.find("notifications.addresses.suppressed").tag("reason", "hard-bounce").counter();
        return counter == null ? 0 : counter.count();
    }
}
