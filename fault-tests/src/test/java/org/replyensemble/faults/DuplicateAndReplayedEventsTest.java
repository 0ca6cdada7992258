package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.Topics;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * Scenario 5: the same event delivered twice, the consumer group's offsets reset to the
 * beginning, and outbox rows published a second time. The consumer deduplicates on the event
 * id, the thread stage on the comment id and the delivery log on (comment, recipient): no
 * second email, whichever way the repeat comes.
 */
class DuplicateAndReplayedEventsTest {

    private static final String GROUP = "notification-service";

    private final FaultEnsemble ensemble = FaultEnsemble.shared();
    private final Blog blog = ensemble.blog();

    @Test
    void noRepeatedEventSendsASecondEmail() throws Exception {
        ThreadLog thread = blog.publish("Repeats", person("olga"));
        for (String name : List.of("ann", "ben", "cleo", "dan")) {
            blog.comment(thread, person(name), null);
        }
        ensemble.awaitSettled(List.of(thread));
        String key = thread.postId().toString();

        // 1. Every comment event of the thread delivered twice more, as a retrying producer might.
        List<ConsumerRecord<String, String>> events = Kafka.withKey(ensemble.bootstrapServers(), Topics.COMMENTS, key);
        assertThat(events).hasSize(4);
        List<ProducerRecord<String, String>> again = new ArrayList<>();
        for (int copy = 0; copy < 2; copy++) {
            events.forEach(e -> again.add(new ProducerRecord<>(Topics.COMMENTS, e.key(), e.value())));
        }
        Kafka.produce(ensemble.bootstrapServers(), again);
        // A later comment on the same partition: once its emails are out, the copies before it were consumed.
        blog.comment(thread, person("eva"), null);
        ensemble.awaitSettled(List.of(thread));

        // 2. The whole group replays both topics from offset 0.
        replayGroupFromTheStart();

        // 3. comment-service's outbox publishes the thread's rows again (a relay crash between the ack and the mark).
        int republished = ensemble.commentsDb()
                .sql("update outbox_message set published_at = null where message_key = :key")
                .param("key", key).update();
        assertThat(republished).isEqualTo(5);
        await().atMost(Duration.ofSeconds(60)).until(() -> ensemble.commentsDb()
                .sql("select count(*) from outbox_message where published_at is null").query(Long.class).single() == 0);
        blog.comment(thread, person("finn"), null);
        ensemble.awaitSettled(List.of(thread));
        assertThat(Kafka.withKey(ensemble.bootstrapServers(), Topics.COMMENTS, key))
                .as("every repeat really reached the topic").hasSize(4 + 8 + 1 + 5 + 1);

        Figures.count("5 duplicate and replayed events",
                        "8 comment events produced again, group offsets reset to 0, 5 outbox rows published twice",
                        List.of(thread), ensemble.mailbox)
                .assertExactlyOnce();
        assertThat(ensemble.notificationsDb().sql("select count(*) from delivery where post_id = :post")
                .param("post", thread.postId()).query(Long.class).single())
                .isEqualTo(thread.expectedEmails().size());
    }

    private void replayGroupFromTheStart() throws Exception {
        KafkaListenerEndpointRegistry listeners = ensemble.notificationInstance().getBean(KafkaListenerEndpointRegistry.class);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ensemble.bootstrapServers()))) {
            listeners.stop();
            await().atMost(Duration.ofSeconds(60)).until(() -> admin.describeConsumerGroups(List.of(GROUP)).all().get()
                    .get(GROUP).members().isEmpty());
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetAndMetadata> fromTheStart = new HashMap<>();
            committed.keySet().forEach(partition -> fromTheStart.put(partition, new OffsetAndMetadata(0)));
            admin.alterConsumerGroupOffsets(GROUP, fromTheStart).all().get();
            listeners.start();

            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> now = admin.listConsumerGroupOffsets(GROUP)
                        .partitionsToOffsetAndMetadata().get();
                admin.listOffsets(latest).all().get().forEach((partition, end) -> assertThat(now.get(partition))
                        .as(partition.toString()).isNotNull().extracting(OffsetAndMetadata::offset).isEqualTo(end.offset()));
            });
        }
    }

    private static Blog.Person person(String name) {
        return new Blog.Person(name, name + "@repeats.faults.example.org");
    }
}
