package org.replyensemble.examples.commentevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.EventHeaders;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Person;
import org.replyensemble.events.Topics;
import org.replyensemble.testing.SharedPostgres;
import org.replyensemble.testing.TopicReader;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example against a real broker and PostgreSQL, fed with events written exactly as
 * comment-service writes them, plus what a consumer must survive: a redelivery, fields and an
 * event type added after it was built, and records nobody can read (not JSON, no type, a future
 * schema version).
 */
@SpringBootTest
class CommentEventsConsumerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        SharedPostgres.registerNewDatabase(registry, "comment_activity");
    }

    /** The topic is comment-service's: here it exists before the consumer starts, as in production. */
    @TestConfiguration(proxyBeanMethods = false)
    static class ProducersTopic {

        @Bean
        NewTopic commentsTopic() {
            return Topics.commentsTopic();
        }
    }

    @Autowired
    KafkaTemplate<String, String> kafka;
    @Autowired
    PostActivity activity;

    @Test
    void eachCommentCountsOnceUnknownTypesAndFieldsAreSkippedAndUnreadableRecordsAreDeadLettered() {
        UUID post = UUID.randomUUID();
        CommentEvent first = posted(post, 1);
        CommentEvent second = posted(post, 2);
        CommentEvent third = posted(post, 3);
        String secondWithLaterFields = EventJson.write(second).replaceFirst("\\{", "{\"traceId\":\"abc\",")
                .replace("\"notify\":", "\"language\":{\"tag\":\"en\"},\"notify\":");
        // A type this consumer does not handle (an edit changes no count): skipped.
        CommentEvent.CommentPosted original = first.comment();
        String edited = EventJson.write(CommentEvent.edited(new CommentEvent.CommentPosted(original.id(), post, null,
                original.position(), original.author(), original.notifyOnReply(), "fixed", original.createdAt(), Instant.now(), null)));
        String notJson = "{\"eventId\": \"cut off";
        String noType = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"postId\":\"" + post + "\"}";
        String futureVersion = EventJson.write(posted(post, 4)).replace("\"schemaVersion\":1", "\"schemaVersion\":2");

        send(post, EventJson.write(first), first.type());
        send(post, EventJson.write(first), first.type()); // redelivered: the same event id
        send(post, secondWithLaterFields, second.type());
        send(post, edited, CommentEvent.EDITED);
        send(post, notJson, null);
        send(post, noType, null);
        send(post, futureVersion, CommentEvent.POSTED);
        send(post, EventJson.write(third), third.type());

        // The third comment is the last record of the post's partition: once it counts, all before it are done.
        await().atMost(WAIT).until(() -> activity.of(post).map(PostActivity.Activity::lastPosition).orElse(0) == 3);
        PostActivity.Activity counted = activity.of(post).orElseThrow();
        assertThat(counted.comments()).as("comments 1, 2 and 3, each once").isEqualTo(3);
        assertThat(counted.lastCommentAt()).isEqualTo(third.comment().createdAt());

        try (TopicReader deadLetters = new TopicReader(System.getProperty("spring.kafka.bootstrap-servers"),
                "blog.comments.v1.comment-activity.dlt")) {
            List<ConsumerRecord<String, String>> dead = deadLetters.readToEnd().stream()
                    .filter(record -> post.toString().equals(record.key())).toList();
            assertThat(dead).extracting(ConsumerRecord::value).containsExactly(notJson, noType, futureVersion);
            assertThat(header(dead.get(0), "kafka_dlt-exception-message")).contains("not JSON");
            assertThat(header(dead.get(1), "kafka_dlt-exception-message")).contains("no type");
            assertThat(header(dead.get(2), "kafka_dlt-exception-message")).contains("unsupported schemaVersion 2");
        }
    }

    private void send(UUID post, String value, String type) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.COMMENTS, post.toString(), value);
        if (type != null) {
            record.headers().add(new RecordHeader(EventHeaders.EVENT_TYPE, type.getBytes(StandardCharsets.UTF_8)));
        }
        kafka.send(record).join();
    }

    private static CommentEvent posted(UUID post, int position) {
        return CommentEvent.posted(new CommentEvent.CommentPosted(UUID.randomUUID(), post, null, position,
                new Person("Reader " + position, "reader" + position + "@example.org"), true, "comment " + position,
                Instant.parse("2026-11-30T10:00:00Z").plusSeconds(position)));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
