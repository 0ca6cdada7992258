package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 9: claims owned by a token. Two notification-service instances send through an SMTP
 * hop that can hold the server's answer to a message's DATA: (a) every answer held longer than
 * the claim lease, so only the lease's renewal keeps the other instance from claiming and sending
 * the same delivery again; (b) the database cut off the moment the server accepted a message and
 * kept away past the lease, so that message cannot be marked SENT: it is sent again, once,
 * counted, and nothing else is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowMailServerTest {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final int SENDERS = 2;

    private final FaultEnsemble ensemble = FaultEnsemble.shared();
    private final Blog blog = ensemble.blog();
    private SlowSmtpProxy proxy;
    private ConfigurableApplicationContext first;
    private ConfigurableApplicationContext second;

    @BeforeAll
    void twoInstancesSendingThroughTheHop() {
        proxy = new SlowSmtpProxy(ensemble.mailbox.port());
        String[] settings = { "--spring.mail.port=" + proxy.port(), "--notifications.delivery.claim-lease=" + LEASE.toMillis() + "ms",
                "--notifications.delivery.senders=" + SENDERS, "--notifications.delivery.batch-size=10" };
        ensemble.stopAllNotifications();
        first = ensemble.startNotifications(settings);
        second = ensemble.startNotifications(settings);
    }

    @AfterAll
    void backToTheUsualInstance() {
        ensemble.restartNotifications();
        proxy.close();
    }

    @Test
    void aServerSlowerThanTheLeaseGetsEveryEmailOnce() {
        ThreadLog thread = blog.publish("Slow mail server", person("olga"));
        blog.comment(thread, person("ann"), null);
        ensemble.awaitSettled(List.of(thread));

        Duration held = LEASE.plusSeconds(1);
        proxy.holdEveryAnswer(held);
        int heldBefore = proxy.heldAnswers();
        try {
            for (String name : List.of("ben", "cleo", "dan")) {
                blog.comment(thread, person(name), null);
            }
            // 2 + 3 + 4 emails, each answered after longer than the lease: the fault really happened.
            await().atMost(Duration.ofMinutes(2)).until(() -> proxy.heldAnswers() - heldBefore >= 9);
        } finally {
            proxy.holdEveryAnswer(Duration.ZERO);
        }
        ensemble.awaitSettled(List.of(thread));

        Figures.count("9 slow mail server", "every DATA answer held " + held.toSeconds() + " s, longer than the claim lease ("
                + LEASE.toSeconds() + " s, renewed), 2 instances x " + SENDERS + " senders", List.of(thread), ensemble.mailbox)
                .assertExactlyOnce();
        assertThat(sentWithoutClaim()).as("no sender ever sent after losing its claim").isZero();
    }

    @Test
    void aDatabaseErrorAtTheSentMarkResendsOnlyThatMessageAndCountsIt() {
        ThreadLog thread = blog.publish("Mark fails", person("pia"));
        blog.comment(thread, person("quin"), null);
        ensemble.awaitSettled(List.of(thread));
        double unmarkedBefore = unmarked();

        proxy.beforeNextAnswer(ensemble.notificationsDatabase::stop);
        long cut;
        try {
            for (String name : List.of("rita", "sam")) {
                blog.comment(thread, person(name), null);
            }
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20)).until(() -> !ensemble.notificationsDatabase.isOpen());
            cut = System.nanoTime();
            // Away until the mark's retries gave up at the end of the lease (the renewals fail too).
            await().atMost(LEASE.multipliedBy(4)).pollInterval(Duration.ofMillis(100)).until(() -> unmarked() > unmarkedBefore);
        } finally {
            ensemble.notificationsDatabase.start();
        }
        Duration away = Duration.ofNanos(System.nanoTime() - cut);
        ensemble.awaitSettled(List.of(thread));

        double resendsCounted = unmarked() - unmarkedBefore;
        Figures figures = Figures.count("9 database error at the SENT mark", "database cut as the server accepted a message, away "
                + away.toMillis() / 100 / 10.0 + " s (lease " + LEASE.toSeconds() + " s); " + (int) resendsCounted
                + " counted in notifications.deliveries.unmarked", List.of(thread), ensemble.mailbox);
        assertThat(figures.lost()).isZero();
        assertThat(figures.unexpected()).isZero();
        assertThat(resendsCounted).as("the accepted message could not be marked: the fault happened").isGreaterThanOrEqualTo(1);
        assertThat(figures.duplicated()).as("resent: exactly the ones counted, at most one per sender thread")
                .isEqualTo((int) resendsCounted)
                .isLessThanOrEqualTo(2 * SENDERS);
    }

    private double unmarked() {
        return FaultEnsemble.metric(first, "notifications.deliveries.unmarked") + FaultEnsemble.metric(second, "notifications.deliveries.unmarked");
    }

    private double sentWithoutClaim() {
        return FaultEnsemble.metric(first, "notifications.deliveries.sent_without_claim")
                + FaultEnsemble.metric(second, "notifications.deliveries.sent_without_claim");
    }

    private static Blog.Person person(String name) {
        return new Blog.Person(name, name + "@slow-mail.faults.example.org");
    }
}
