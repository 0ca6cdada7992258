package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.replyensemble.local.services.ServiceProcess;

/**
 * Scenario 3: notification-service is killed (SIGKILL, no shutdown at all) while it sends a
 * burst, and started again. No email is lost. Duplicates are possible only in one window: a
 * message the SMTP server accepted before the process marked it SENT. Each message is marked as
 * soon as the server accepted it, so one kill repeats at most one message per sender thread, even
 * though whole batches were claimed; a repeat carries the same derived Message-ID. The test
 * proves the kill hit claimed work and measures how many were repeated.
 */
class NotificationCrashTest {

    private static final int BATCH_SIZE = 50;
    private static final int SENDERS = 2;
    /** The senders, and the lane that sends only direct replies (DeliverySender's third thread). */
    private static final int SENDING_THREADS = SENDERS + 1;

    private final FaultEnsemble ensemble = FaultEnsemble.shared();
    private final Blog blog = ensemble.blog();

    @Test
    void aKilledInstanceLosesNothingAndRepeatsAtMostTheBatchItWasSending() throws Exception {
        ensemble.stopAllNotifications();
        ServiceProcess second = null;
        try {
            String[] settings = { "--notifications.delivery.batch-size=" + BATCH_SIZE,
                    "--notifications.delivery.senders=" + SENDERS };
            ServiceProcess first = ensemble.startNotificationProcess(settings);
            ThreadLog thread = blog.publish("Crash", person("olga"));
            int expected;
            long inFlight;
            try (Burst burst = new Burst(blog, List.of(thread), 40, 40, "crash.faults.example.org", 2)) {
                expected = 40 * 41 / 2;
                // Killed while a batch is being sent: the senders keep up with the burst between its
                // comments, so a kill at a fixed count of SENT could find them idle and prove nothing.
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(5))
                        .until(() -> sent(thread) >= expected / 4 && claimedUnmarked(thread) >= 3);
                first.kill();
                // Claimed by the dead process and not marked: what the kill interrupted.
                inFlight = claimedUnmarked(thread);
                assertThat(sent(thread)).as("killed in the middle of the burst").isLessThan(expected);
                assertThat(inFlight).as("the kill left claimed, unmarked deliveries: the crash window was hit").isPositive();
                second = ensemble.startNotificationProcess(settings);
                burst.awaitPosted();
            }
            ensemble.awaitSettled(List.of(thread));

            Figures figures = Figures.count("3 notification-service killed", "SIGKILL mid-burst (" + inFlight
                    + " deliveries claimed, not marked), restarted as a new process", List.of(thread), ensemble.mailbox);
            assertThat(figures.lost()).as("emails lost").isZero();
            assertThat(figures.unexpected()).isZero();
            assertThat(figures.expected()).isEqualTo(expected);
            // The window: the message between the server's acceptance and its mark, one per sender thread.
            assertThat(figures.duplicated()).as("duplicates: at most one per sending thread of the killed process")
                    .isLessThanOrEqualTo(SENDING_THREADS);
        } finally {
            if (second != null) {
                second.close();
            }
            ensemble.startNotifications();
        }
    }

    private long claimedUnmarked(ThreadLog thread) {
        return ensemble.notificationsDb().sql("""
                select count(*) from delivery where post_id = :post and status = 'PENDING' and claim_token is not null
                   and next_attempt_at > now()""").param("post", thread.postId()).query(Long.class).single();
    }

    private long sent(ThreadLog thread) {
        return ensemble.notificationsDb().sql("select count(*) from delivery where post_id = :post and status = 'SENT'")
                .param("post", thread.postId()).query(Long.class).single();
    }

    private static Blog.Person person(String name) {
        return new Blog.Person(name, name + "@crash.faults.example.org");
    }
}
