package org.replyensemble.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.replyensemble.testing.SharedPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest(classes = OutboxTestApplication.class)
class OutboxIntegrationTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        SharedPostgres.registerNewDatabase(registry, "outbox");
    }

    @Autowired
    Outbox outbox;
    @Autowired
    OutboxRelay relay;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void publishesWhatCommitsAndNothingOfWhatRollsBack() {
        String topic = "outbox-test-" + UUID.randomUUID();
        TransactionTemplate transaction = new TransactionTemplate(transactions);

        transaction.executeWithoutResult(status -> outbox.append(topic, "post-1", "{\"n\":\"committed\"}", Map.of("event-id", "e1")));
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            outbox.append(topic, "post-1", "{\"n\":\"rolled back\"}", Map.of("event-id", "e2"));
            throw new IllegalStateException("the business change failed");
        })).hasMessage("the business change failed");
        transaction.executeWithoutResult(status -> outbox.append(topic, "post-1", "{\"n\":\"marker\"}", Map.of("event-id", "e3")));

        List<ConsumerRecord<String, String>> received = readUntil(topic, "{\"n\":\"marker\"}");

        assertThat(received).extracting(ConsumerRecord::value).containsExactly("{\"n\":\"committed\"}", "{\"n\":\"marker\"}");
        assertThat(received.get(0).key()).isEqualTo("post-1");
        assertThat(new String(received.get(0).headers().lastHeader("event-id").value(), StandardCharsets.UTF_8)).isEqualTo("e1");
        assertThat(jdbc.sql("select count(*) from outbox_message where topic = ? and published_at is null").param(topic)
                .query(Long.class).single()).isZero();
    }

    @Test
    void keepsTheCommitOrderOfEachKey() {
        String topic = "outbox-test-" + UUID.randomUUID();
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        int perKey = 60;
        List<String> keys = List.of("post-a", "post-b", "post-c", "post-d", "post-e");
        for (int n = 1; n <= perKey; n++) {
            int position = n;
            for (String key : keys) {
                transaction.executeWithoutResult(status -> outbox.append(topic, key, key + ":" + position, Map.of()));
            }
        }
        transaction.executeWithoutResult(status -> outbox.append(topic, "post-a", "end", Map.of()));

        List<ConsumerRecord<String, String>> received = readUntil(topic, "end");

        Map<String, List<Integer>> positionsByKey = new HashMap<>();
        received.stream().filter(r -> !r.value().equals("end"))
                .forEach(r -> positionsByKey.computeIfAbsent(r.key(), k -> new ArrayList<>())
                        .add(Integer.parseInt(r.value().substring(r.value().indexOf(':') + 1))));
        List<Integer> inOrder = java.util.stream.IntStream.rangeClosed(1, perKey).boxed().toList();
        assertThat(positionsByKey).containsOnlyKeys(keys);
        positionsByKey.values().forEach(positions -> assertThat(positions).isEqualTo(inOrder));
    }

    @Test
    void refusesToWriteOutsideATransaction() {
        assertThatThrownBy(() -> outbox.append("any", "key", "{}", Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("transaction");
    }

    /** Published rows past the retention (7 days) go, in batches; younger and unpublished ones stay. */
    @Test
    void theCleanUpDeletesPublishedRowsPastTheRetentionAndNothingElse() {
        String topic = "outbox-cleanup-" + UUID.randomUUID();
        List<Long> old = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            old.add(insert(topic, "old-" + i, "now() - interval '8 days'"));
        }
        long recent = insert(topic, "recent", "now() - interval '6 days'");
        long unpublished = insert(topic, "unpublished", "null");

        assertThat(relay.cleanUp()).isGreaterThanOrEqualTo(3);

        assertThat(jdbc.sql("select id from outbox_message where topic = ? order by id").param(topic).query(Long.class).list())
                .doesNotContainAnyElementsOf(old)
                .contains(recent, unpublished);
    }

    private long insert(String topic, String payload, String publishedAt) {
        return jdbc.sql("insert into outbox_message (topic, message_key, payload, created_at, published_at)"
                        + " values (?, 'k', ?, now() - interval '9 days', " + publishedAt + ") returning id")
                .params(topic, payload).query(Long.class).single();
    }

    private static List<ConsumerRecord<String, String>> readUntil(String topic, String lastValue) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty("spring.kafka.bootstrap-servers"),
                ConsumerConfig.GROUP_ID_CONFIG, "outbox-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            while (received.stream().noneMatch(r -> r.value().equals(lastValue))) {
                assertThat(System.nanoTime()).as("%s reached %s within 30 s", lastValue, topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }
        return received;
    }
}
