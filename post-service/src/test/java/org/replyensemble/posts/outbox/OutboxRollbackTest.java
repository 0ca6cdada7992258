package org.replyensemble.posts.outbox;

import org.replyensemble.testing.TopicReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.events.Topics;
import org.replyensemble.outbox.Outbox;
import org.replyensemble.outbox.OutboxRelay;
import org.replyensemble.posts.PostServiceTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The outbox's promise, seen from this service: an event exists exactly when its transaction committed. */
class OutboxRollbackTest extends PostServiceTest {

    @Autowired
    Outbox outbox;

    @Autowired
    OutboxRelay relay;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void aRolledBackTransactionPublishesNothing() {
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        PostEvent rolledBack = event("Never published");
        PostEvent committed = event("Published after it");

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            outbox.append(Topics.POSTS, rolledBack);
            throw new IllegalStateException("the business change failed after the append");
        })).hasMessageContaining("business change failed");
        transaction.executeWithoutResult(status -> outbox.append(Topics.POSTS, committed));
        relay.relayPending();

        assertThat(jdbc.sql("select count(*) from outbox_message where message_key = ?")
                .param(rolledBack.postId().toString()).query(Long.class).single()).isZero();
        try (TopicReader topic = new TopicReader(bootstrapServers, Topics.POSTS)) {
            // Once the later, committed event is on the topic, the rolled-back one would be too.
            await().atMost(Duration.ofSeconds(15)).until(() -> !topic.withKey(committed.postId().toString()).isEmpty());
            assertThat(topic.withKey(rolledBack.postId().toString())).isEmpty();
        }
    }

    @Test
    void appendingOutsideATransactionIsRefused() {
        assertThatThrownBy(() -> outbox.append(Topics.POSTS, event("No transaction")))
                .isInstanceOf(IllegalStateException.class);
    }

    private static PostEvent event(String title) {
        UUID id = UUID.randomUUID();
        return PostEvent.of(PostEvent.PUBLISHED, new PostEvent.PostState(id, "slug-" + id, title, "body",
                new Person("Ann", "ann@example.com"), Instant.now(), true, 1), Instant.now());
    }
}
