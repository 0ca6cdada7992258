package org.replyensemble.faults;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.replyensemble.testing.TopicReader;

/** What a test does on the broker directly: write records as a faulty or repeating producer would, read topics. */
final class Kafka {

    private Kafka() {
    }

    static void produce(String bootstrapServers, List<ProducerRecord<String, String>> records) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (ProducerRecord<String, String> record : records) {
                producer.send(record).get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not produce the test records", e);
        }
    }

    /** Every record of the topic with this key, in partition (offset) order. */
    static List<ConsumerRecord<String, String>> withKey(String bootstrapServers, String topic, String key) {
        try (TopicReader reader = new TopicReader(bootstrapServers, topic)) {
            List<ConsumerRecord<String, String>> before = List.of();
            for (int poll = 0; poll < 50; poll++) {
                List<ConsumerRecord<String, String>> now = reader.withKey(key);
                if (!now.isEmpty() && now.size() == before.size()) {
                    return now; // two polls without news: the end
                }
                before = now;
            }
            return before;
        }
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
