package org.replyensemble.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.notifications.confirmations.Confirmations;
import org.replyensemble.notifications.confirmations.ConfirmedBy;
import org.replyensemble.notifications.threads.Threads;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The race between a fan-out that read an address as unconfirmed (and holds its email) and the
 * owner confirming at that very moment: the confirmation must not miss the held row it cannot see
 * yet. The fan-out is held open inside its transaction while the owner confirms; the confirmation
 * waits for it (a lock on the address row), then releases the email. Without that lock it would
 * finish at once, release nothing, and the email would wait until it is dropped.
 */
class HeldReleaseRaceTest extends FlowTest {

    @Autowired
    Threads threads;
    @Autowired
    Confirmations confirmations;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void aConfirmationDuringTheFanOutReleasesTheEmailTheFanOutIsHolding() throws Exception {
        confirm(address("bob"), "Bob");
        // Recorded directly (not through Kafka), so the test can hold the thread stage's transaction open.
        UUID postId = UUID.randomUUID();
        threads.recordPost(PostEvent.of(PostEvent.PUBLISHED, new PostEvent.PostState(postId, "race", "Race", "body",
                new Person("Olga", address("olga")), Instant.now(), true, 1), Instant.now()));
        threads.recordComment(CommentEvent.posted(comment(postId, 1, null, "Ann", address("ann"), true, "first")));
        CommentEvent bob = CommentEvent.posted(comment(postId, 2, null, "Bob", address("bob"), true, "second"));

        CountDownLatch fannedOut = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<Void> fanOut = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(status -> {
            threads.recordComment(bob);
            fannedOut.countDown();
            waitFor(finish);
        }));
        assertThat(fannedOut.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Confirmations.Confirmed> owner = CompletableFuture.supplyAsync(
                () -> confirmations.confirm(address("ann"), "Ann", ConfirmedBy.LINK));
        // The confirmation waits for the fan-out's lock on Ann's address row.
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("""
                select count(*) from pg_stat_activity
                 where datname = current_database() and wait_event_type = 'Lock' and query like '%insert into address%'""")
                .query(Long.class).single() == 1);
        assertThat(owner).isNotDone();

        finish.countDown();
        fanOut.get(30, TimeUnit.SECONDS);
        assertThat(owner.get(30, TimeUnit.SECONDS).released()).isEqualTo(1);
        await().atMost(MAIL_WAIT).until(() -> "SENT".equals(deliveryStatus(bob.comment().id(), address("ann"))));
        awaitSettled(postId, 2);
        assertThat(mailTo(address("ann"))).filteredOn(m -> !isConfirmation(m)).hasSize(1);
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
