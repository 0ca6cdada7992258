package org.replyensemble.comments.replica;

import org.replyensemble.testing.TopicReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.replyensemble.comments.CommentServiceTest;
import org.replyensemble.comments.replica.PostReplica.ReplicatedPost;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.PostEvent;
import org.replyensemble.events.Topics;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.kafka.listener.ConsumerSeekAware;

class ReplicaTest extends CommentServiceTest {

    private static final String DEAD_LETTERS = Topics.deadLetterTopic(Topics.POSTS, "comment-service");

    @Autowired
    Environment environment;

    @Autowired
    MeterRegistry meters;

    @Autowired
    PostEventListener listener;

    @Test
    void runsWithItsOwnConfigFile() {
        assertThat(environment.getProperty("spring.application.name")).isEqualTo("comment-service");
        assertThat(environment.getProperty("http.max-body-size")).isEqualTo("128KB"); // server.port is the test's random one
        assertThat(environment.getProperty("spring.kafka.consumer.group-id")).isEqualTo("comment-service");
    }

    @Test
    void aPublishedPostReachesTheReplica() throws Exception {
        UUID id = UUID.randomUUID();
        publish(postState(id, "Fresh post", true, 1));

        ReplicatedPost replicated = await().atMost(WAIT).until(() -> replica.find(id), found -> found.isPresent()).orElseThrow();
        assertThat(replicated.title()).isEqualTo("Fresh post");
        assertThat(replicated.slug()).isEqualTo("slug-" + id);
        assertThat(replicated.commentsOpen()).isTrue();
        assertThat(replicated.revision()).isEqualTo(1);
    }

    @Test
    void aNewerRevisionReplacesTheStateButAStaleOrRepeatedOneChangesNothing() throws Exception {
        UUID id = UUID.randomUUID();
        publish(postState(id, "Revision 3", false, 3));
        await().atMost(WAIT).until(() -> replica.find(id).isPresent());

        RecordMetadata stale = publish(postState(id, "Revision 2", true, 2));
        RecordMetadata repeated = publish(postState(id, "Revision 3 again", true, 3));
        awaitConsumed(stale);
        awaitConsumed(repeated);

        ReplicatedPost kept = replica.find(id).orElseThrow();
        assertThat(kept.title()).isEqualTo("Revision 3");
        assertThat(kept.commentsOpen()).isFalse();
        assertThat(kept.revision()).isEqualTo(3);

        publish(postState(id, "Revision 4", true, 4));
        await().atMost(WAIT).until(() -> replica.find(id).orElseThrow().revision() == 4);
        assertThat(replica.find(id).orElseThrow().title()).isEqualTo("Revision 4");
        assertThat(replica.find(id).orElseThrow().commentsOpen()).isTrue();
    }

    @Test
    void thePagesGetThePostsTextAuthorNameAndDateAndTheAddressIsKeptOnlyToKnowWhoModerates() throws Exception {
        UUID id = UUID.randomUUID();
        publish(postState(id, "Page post", true, 1));
        PostReplica.PublishedPost post = await().atMost(WAIT).until(() -> replica.findBySlug("slug-" + id), Optional::isPresent)
                .orElseThrow();
        assertThat(post.body()).isEqualTo("Body of Page post");
        assertThat(post.authorName()).isEqualTo("Paula Poster");
        assertThat(post.publishedAt()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
        // The author's address, normalized, in the one column the moderation check reads; nowhere else.
        assertThat(jdbc.sql("select author_email from post_replica where id = ?").param(id).query(String.class).single())
                .isEqualTo("paula@example.com");
        assertThat(jdbc.sql("select count(*) from post_replica where concat_ws('|', id, slug, title, body, author_name) like '%@%'")
                .query(Long.class).single()).isZero();
        assertThat(post.toString()).doesNotContain("@");
    }

    /**
     * An upgraded deployment's rows lack the page columns: the listener reads the post topic from
     * its beginning, and the replayed event of the revision already held fills them (and only them:
     * an older revision still changes nothing).
     */
    @Test
    void rowsWrittenBeforeThePageColumnsAreFilledByAReplayOfTheSameRevision() throws Exception {
        UUID id = UUID.randomUUID();
        publish(postState(id, "Old row", true, 2));
        await().atMost(WAIT).until(() -> replica.find(id).isPresent());
        jdbc.sql("update post_replica set body = null, author_name = null, published_at = null where id = ?").param(id).update();
        assertThat(replica.needsBackfill()).isTrue();

        List<String> seeks = new ArrayList<>();
        ConsumerSeekAware.ConsumerSeekCallback recording = (ConsumerSeekAware.ConsumerSeekCallback) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] { ConsumerSeekAware.ConsumerSeekCallback.class },
                (proxy, method, args) -> {
                    seeks.add(method.getName() + " " + args[0]);
                    return null;
                });
        TopicPartition partition = new TopicPartition(Topics.POSTS, 0);
        listener.onPartitionsAssigned(Map.of(partition, 0L), recording);
        assertThat(seeks).containsExactly("seekToBeginning [" + partition + "]");

        RecordMetadata older = publish(postState(id, "Older revision", true, 1));
        awaitConsumed(older);
        assertThat(replica.findBySlug("slug-" + id).orElseThrow().body()).isNull();

        publish(postState(id, "Old row", true, 2)); // what the topic holds: the same revision again
        await().atMost(WAIT).until(() -> replica.findBySlug("slug-" + id).orElseThrow().body() != null);
        assertThat(replica.findBySlug("slug-" + id).orElseThrow().authorName()).isEqualTo("Paula Poster");
        assertThat(replica.find(id).orElseThrow().revision()).isEqualTo(2);
        assertThat(replica.needsBackfill()).isFalse();
        seeks.clear();
        listener.onPartitionsAssigned(Map.of(partition, 0L), recording);
        assertThat(seeks).isEmpty();
    }

    @Test
    void poisonRecordsAreDeadLetteredWithTheReasonAndTheConsumerGoesOn() throws Exception {
        UUID id = UUID.randomUUID();
        String key = id.toString();
        String notJson = "{this is not json " + id;
        String futureVersion = EventJson.write(PostEvent.of(PostEvent.PUBLISHED, postState(id, "From the future", true, 1), Instant.now()))
                .replace("\"schemaVersion\":1", "\"schemaVersion\":99");
        assertThat(futureVersion).contains("\"schemaVersion\":99");
        double deadBefore = deadLettered();

        RecordMetadata first = sendRaw(key, notJson);
        sendRaw(key, futureVersion);
        publish(postState(id, "Good after the poison", true, 1)); // same key, same partition: behind the poison

        await().atMost(WAIT).until(() -> replica.find(id).isPresent());
        assertThat(replica.find(id).orElseThrow().title()).isEqualTo("Good after the poison");

        try (TopicReader dlt = new TopicReader(bootstrapServers, DEAD_LETTERS)) {
            List<ConsumerRecord<String, String>> dead = await().atMost(WAIT)
                    .until(() -> dlt.withKey(key), records -> records.size() >= 2);
            assertThat(dead).extracting(ConsumerRecord::value).containsExactly(notJson, futureVersion);
            assertThat(dead).allSatisfy(record -> {
                assertThat(record.partition()).isEqualTo(first.partition());
                assertThat(header(record, "kafka_dlt-original-topic")).isEqualTo(Topics.POSTS);
                assertThat(header(record, "kafka_dlt-exception-fqcn")).isNotBlank();
            });
            assertThat(header(dead.get(0), "kafka_dlt-exception-message")).contains("not a PostEvent");
            assertThat(header(dead.get(1), "kafka_dlt-exception-message")).contains("unsupported schemaVersion 99");
        }
        assertThat(deadLettered()).isGreaterThanOrEqualTo(deadBefore + 2);
    }

    /** A type added to the topic after this build (say PostDeleted) must not stop or corrupt the replica. */
    @Test
    void anEventOfATypeTheReplicaDoesNotHandleIsSkippedAndCountedNotDeadLettered() throws Exception {
        UUID id = UUID.randomUUID();
        String key = id.toString();
        // Shaped like a post state with a higher revision: applied by mistake, it would win.
        String deleted = EventJson.write(PostEvent.of(PostEvent.UPDATED, postState(id, "Deleted", false, 9), Instant.now()))
                .replace("\"PostUpdated\"", "\"PostDeleted\"");
        assertThat(deleted).contains("\"type\":\"PostDeleted\"");
        double skippedBefore = skipped("PostDeleted");
        double deadBefore = deadLettered();

        sendRaw(key, deleted);
        publish(postState(id, "Still here", true, 1)); // same key, same partition: behind the unknown type

        await().atMost(WAIT).until(() -> replica.find(id).isPresent());
        assertThat(replica.find(id).orElseThrow().title()).isEqualTo("Still here");
        assertThat(replica.find(id).orElseThrow().revision()).isEqualTo(1);
        assertThat(skipped("PostDeleted") - skippedBefore).isEqualTo(1);
        assertThat(deadLettered()).isEqualTo(deadBefore);
        try (TopicReader dlt = new TopicReader(bootstrapServers, DEAD_LETTERS)) {
            assertThat(dlt.readToEnd()).noneMatch(record -> key.equals(record.key()));
        }
    }

    private double skipped(String type) {
        Counter counter = meters.find("events.skipped").tag("topic", Topics.POSTS).tag("type", type).counter();
        return counter == null ? 0 : counter.count();
    }

    private double deadLettered() {
        Counter counter = meters.find("events.dead_lettered").tag("topic", Topics.POSTS).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
