package org.replyensemble.comments;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.replyensemble.comments.replica.PostReplica;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.events.Topics;
import org.junit.jupiter.api.AfterAll;
import org.replyensemble.testing.ProducedEvents;
import org.replyensemble.testing.SharedPostgres;
import org.replyensemble.testing.TestAccount;
import org.replyensemble.testing.TopicReader;
import org.replyensemble.events.contract.EventContract;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The one application context of comment-service's integration tests (same configuration, so
 * Spring reuses it and only one consumer of the group runs): the real app on an embedded
 * PostgreSQL and the JVM's embedded broker, on a real HTTP port as well as MockMvc, its management
 * server on another. Posts reach it only as events, as in production.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=" + CommentServiceApplication.NAME, "management.server.port=0",
        // Every request of these tests comes from one address: the limits are tested on their own (RateLimitTest).
        "comments.rate-limit.client-per-minute=1000000", "comments.rate-limit.client-per-day=1000000",
        "comments.rate-limit.mailbox-per-minute=1000000", "comments.rate-limit.mailbox-per-day=1000000" })
@AutoConfigureMockMvc
public abstract class CommentServiceTest {

    protected static final Duration WAIT = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        SharedPostgres.registerNewDatabase(registry, "comments");
        TestAccount.properties(OLGA, PAULA, OTTO).forEach((key, value) -> registry.add(key, () -> value));
    }

    /** An operator; the author of every post {@link #postState} makes (same address); another author. */
    protected static final TestAccount OLGA = TestAccount.operator("olga");
    protected static final TestAccount PAULA = TestAccount.author("paula", "Paula Poster", "Paula@Example.com");
    protected static final TestAccount OTTO = TestAccount.author("otto", "Otto Other", "otto@example.com");

    /**
     * Whatever a test class did, every event comment-service put on its topic holds to the
     * published contract (the tests write post events themselves, but never comment events).
     */
    @AfterAll
    static void everyProducedEventHoldsToTheContract() {
        ProducedEvents.assertAllHold(System.getProperty("spring.kafka.bootstrap-servers"), Topics.COMMENTS);
    }

    @Autowired
    protected MockMvc mvc;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected PostReplica replica;

    @Autowired
    protected KafkaTemplate<String, String> kafka;

    @Autowired
    private KafkaAdmin kafkaAdmin;

    @Value("${spring.kafka.bootstrap-servers}")
    protected String bootstrapServers;

    @Value("${local.server.port}")
    protected int port;

    protected static PostEvent.PostState postState(UUID id, String title, boolean commentsOpen, long revision) {
        return new PostEvent.PostState(id, "slug-" + id, title, "Body of " + title,
                new Person("Paula Poster", "paula@example.com"), Instant.parse("2026-01-01T10:00:00Z"), commentsOpen, revision);
    }

    /** Publishes the state as post-service would, and returns where the record landed. */
    protected RecordMetadata publish(PostEvent.PostState state) throws Exception {
        PostEvent event = PostEvent.of(state.revision() == 1 ? PostEvent.PUBLISHED : PostEvent.UPDATED, state, Instant.now());
        return sendRaw(state.id().toString(), EventJson.write(event));
    }

    protected RecordMetadata sendRaw(String key, String value) throws Exception {
        return kafka.send(Topics.POSTS, key, value).get().getRecordMetadata();
    }

    /** A post the replica knows, open for comments. */
    protected UUID givenPost(String title) throws Exception {
        UUID id = UUID.randomUUID();
        publish(postState(id, title, true, 1));
        await().atMost(WAIT).until(() -> replica.find(id).isPresent());
        return id;
    }

    /** Waits until comment-service's group has committed past this record, i.e. has handled it. */
    protected void awaitConsumed(RecordMetadata record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            await().atMost(WAIT).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin
                        .listConsumerGroupOffsets(CommentServiceApplication.NAME).partitionsToOffsetAndMetadata().get();
                OffsetAndMetadata committed = offsets.get(partition);
                return committed != null && committed.offset() > record.offset();
            });
        }
    }

    protected long rows(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    protected List<String> columnOf(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(String.class).list();
    }

    /** The post's comment events once {@code count} are on the topic, each held to the contract; exactly {@code count}. */
    protected List<CommentEvent> eventsOf(UUID postId, int count) {
        try (TopicReader topic = new TopicReader(bootstrapServers, Topics.COMMENTS)) {
            List<ConsumerRecord<String, String>> records = await().atMost(WAIT)
                    .until(() -> topic.withKey(postId.toString()), found -> found.size() >= count);
            EventContract.assertHold(records);
            org.assertj.core.api.Assertions.assertThat(records).hasSize(count);
            return records.stream().map(r -> EventJson.readCommentEvent(r.value()).known().orElseThrow()).toList();
        }
    }
}
