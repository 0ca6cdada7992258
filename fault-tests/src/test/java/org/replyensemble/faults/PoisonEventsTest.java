package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.events.Topics;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 6: records that can never be applied go to the consumer group's dead-letter topic
 * with the reason and their origin in headers, a metric counts them, and the consumer goes on
 * with the next record of the same partition. An event of a type the consumer does not know (a
 * type added to the topic later) is not poison: it is skipped and counted, and the consumer goes on.
 *
 * <p>A comment for a post nobody knows is NOT poison here: the post and comment topics are read
 * independently, so a comment may overtake its post. It waits in the thread stage and is fanned
 * out when the post arrives; dead-lettering it would lose the emails of a good comment.
 */
class PoisonEventsTest {

    private static final String DLT = Topics.deadLetterTopic(Topics.COMMENTS, "notification-service");

    private final FaultEnsemble ensemble = FaultEnsemble.shared();
    private final Blog blog = ensemble.blog();

    @Test
    void poisonGoesToTheDeadLetterTopicAndTheConsumerGoesOn() {
        ThreadLog thread = blog.publish("Poison", person("olga"));
        ThreadLog.Posted first = blog.comment(thread, person("ann"), null);
        ensemble.awaitSettled(List.of(thread));
        String key = thread.postId().toString();
        double deadBefore = deadLettered(ensemble.notificationInstance());

        String good = EventJson.write(CommentEvent.posted(new CommentEvent.CommentPosted(UUID.randomUUID(), thread.postId(),
                null, 99, new Person("Zed", "zed@poison.faults.example.org"), true, "never applied", Instant.now())));
        Map<String, String> poison = Map.of(
                "{\"eventId\": \"not even json", "not a CommentEvent",
                good.replace("\"schemaVersion\":1", "\"schemaVersion\":7"), "unsupported schemaVersion 7",
                good.replace("\"author\":{\"name\":\"Zed\",\"email\":\"zed@poison.faults.example.org\"},", ""),
                "comment.author is required");
        String unknownType = good.replace("\"CommentPosted\"", "\"CommentPinned\"");
        assertThat(poison.keySet()).allSatisfy(json -> assertThat(json).isNotEqualTo(good));
        assertThat(unknownType).isNotEqualTo(good);
        double skippedBefore = skipped(ensemble.notificationInstance(), "CommentPinned");
        Kafka.produce(ensemble.bootstrapServers(), Stream.concat(poison.keySet().stream(), Stream.of(unknownType))
                .map(json -> new ProducerRecord<>(Topics.COMMENTS, key, json)).toList());

        // The next comment on the same partition is still applied: the consumer went on.
        blog.comment(thread, person("ben"), first.commentId());
        ensemble.awaitSettled(List.of(thread));

        List<ConsumerRecord<String, String>> dead = Kafka.withKey(ensemble.bootstrapServers(), DLT, key);
        assertThat(dead).hasSize(3);
        for (ConsumerRecord<String, String> record : dead) {
            String reason = poison.get(record.value());
            assertThat(reason).as("dead letter %s is one of the poison records", record.value()).isNotNull();
            assertThat(Kafka.header(record, "kafka_dlt-exception-message")).contains(reason);
            assertThat(Kafka.header(record, "kafka_dlt-exception-cause-fqcn")).endsWith("InvalidEventException");
            assertThat(Kafka.header(record, "kafka_dlt-original-topic")).isEqualTo(Topics.COMMENTS);
            assertThat(Kafka.header(record, "kafka_dlt-original-consumer-group")).isEqualTo("notification-service");
            assertThat(intHeader(record, "kafka_dlt-original-partition")).isEqualTo(record.partition());
            assertThat(longHeader(record, "kafka_dlt-original-offset")).isNotNegative();
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> deadLettered(ensemble.notificationInstance()) - deadBefore == 3);
        // The unknown type was behind the poison and before ben's comment: settled, skipped once, never dead-lettered.
        assertThat(skipped(ensemble.notificationInstance(), "CommentPinned") - skippedBefore).isEqualTo(1);
        assertThat(dead).noneMatch(record -> record.value().equals(unknownType));

        Figures.count("6 poison events", "3 poison records (bad JSON, unknown schema version, missing author) and 1 event"
                        + " of an unknown type (skipped, counted) on the thread's partition", List.of(thread), ensemble.mailbox)
                .assertExactlyOnce();
    }

    /** Waits for its post instead of being dead-lettered, and is emailed about once the post arrives. */
    @Test
    void aCommentForAnUnknownPostWaitsForItsPost() {
        UUID postId = UUID.randomUUID();
        UUID commentId = UUID.randomUUID();
        ensemble.confirmAddress("early@unknown-post.faults.example.org");
        Kafka.produce(ensemble.bootstrapServers(), List.of(new ProducerRecord<>(Topics.COMMENTS, postId.toString(),
                EventJson.write(CommentEvent.posted(new CommentEvent.CommentPosted(commentId, postId, null, 1,
                        new Person("Early", "early@unknown-post.faults.example.org"), true, "before its post", Instant.now()))))));
        // The consumer goes on: a comment posted after it, on another thread, is emailed about.
        ThreadLog other = blog.publish("After the unknown post", new Blog.Person("Pia", "pia@unknown-post.faults.example.org"));
        blog.comment(other, new Blog.Person("Quin", "quin@unknown-post.faults.example.org"), null);
        ensemble.awaitSettled(List.of(other));
        assertThat(ensemble.notificationsDb().sql("select count(*) from thread_comment where comment_id = :id")
                .param("id", commentId).query(Long.class).single()).as("the comment waits for its post").isEqualTo(1);

        Kafka.produce(ensemble.bootstrapServers(), List.of(new ProducerRecord<>(Topics.POSTS, postId.toString(),
                EventJson.write(PostEvent.of(PostEvent.PUBLISHED, new PostEvent.PostState(postId, "late-post-" + postId,
                        "Late post", "body", new Person("Lou", "lou@unknown-post.faults.example.org"), Instant.now(), true, 1),
                        Instant.now())))));

        Email expected = new Email(commentId, "lou@unknown-post.faults.example.org");
        await().atMost(Duration.ofSeconds(60)).until(() -> ensemble.mailbox.received().contains(expected));
        assertThat(Kafka.withKey(ensemble.bootstrapServers(), Topics.COMMENTS, postId.toString())).hasSize(1);
        Figures.count("6 poison events: comment before its post", "1 comment event for a post not yet known",
                        1, Set.of(expected), ensemble.mailbox.received(), Set.of(commentId))
                .assertExactlyOnce();
    }

    /** One meaning in every consumer: a tombstone is skipped and counted, never dead-lettered, and the post stays. */
    @Test
    void aTombstoneIsSkippedAndCountedByEveryConsumer() {
        ThreadLog thread = blog.publish("Tombstone", person("tess"));
        blog.comment(thread, person("ugo"), null);
        ensemble.awaitSettled(List.of(thread));
        ConfigurableApplicationContext comments = ensemble.commentContext();
        ConfigurableApplicationContext notifications = ensemble.notificationInstance();
        double commentsSkipped = FaultEnsemble.metric(comments, "events.skipped", "topic", Topics.POSTS, "type", "tombstone");
        double notificationsSkipped = FaultEnsemble.metric(notifications, "events.skipped", "topic", Topics.POSTS, "type", "tombstone");
        double commentsDead = FaultEnsemble.metric(comments, "events.dead_lettered", "topic", Topics.POSTS);
        double notificationsDead = FaultEnsemble.metric(notifications, "events.dead_lettered", "topic", Topics.POSTS);

        Kafka.produce(ensemble.bootstrapServers(), List.of(new ProducerRecord<>(Topics.POSTS, thread.postId().toString(), null)));

        await().atMost(Duration.ofSeconds(30)).until(() -> FaultEnsemble.metric(comments, "events.skipped", "topic", Topics.POSTS,
                "type", "tombstone") == commentsSkipped + 1 && FaultEnsemble.metric(notifications, "events.skipped", "topic",
                Topics.POSTS, "type", "tombstone") == notificationsSkipped + 1);
        assertThat(FaultEnsemble.metric(comments, "events.dead_lettered", "topic", Topics.POSTS)).isEqualTo(commentsDead);
        assertThat(FaultEnsemble.metric(notifications, "events.dead_lettered", "topic", Topics.POSTS)).isEqualTo(notificationsDead);
        // The post stays where it was: comments are still taken and mailed.
        blog.comment(thread, person("vera"), null);
        ensemble.awaitSettled(List.of(thread));
        Figures.count("6 poison events: tombstone", "a tombstone for a live post on " + Topics.POSTS
                + ": skipped and counted by both consumers, nothing dead-lettered", List.of(thread), ensemble.mailbox)
                .assertExactlyOnce();
    }

    private static double deadLettered(ConfigurableApplicationContext context) {
        Counter counter = context.getBean(MeterRegistry.class).find("events.dead_lettered").tag("topic", Topics.COMMENTS).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double skipped(ConfigurableApplicationContext context, String type) {
        Counter counter = context.getBean(MeterRegistry.class).find("events.skipped")
                .tag("topic", Topics.COMMENTS).tag("type", type).counter();
        return counter == null ? 0 : counter.count();
    }

    private static int intHeader(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return ByteBuffer.wrap(header.value()).getInt();
    }

    private static long longHeader(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return ByteBuffer.wrap(header.value()).getLong();
    }

    private static Blog.Person person(String name) {
        return new Blog.Person(name, name + "@poison.faults.example.org");
    }
}
