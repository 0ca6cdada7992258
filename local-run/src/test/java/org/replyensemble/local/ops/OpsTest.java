package org.replyensemble.local.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.replyensemble.local.Ports;
import org.replyensemble.local.kafka.KafkaBroker;

/**
 * The runbook's Kafka commands against a real broker process: a dead letter as Spring Kafka's
 * DeadLetterPublishingRecoverer writes it is listed with why and where from, the replay command it
 * prints puts the original record back on its topic (key, value and event headers, no dead-letter
 * headers), and the group's lag counts it.
 */
class OpsTest {

    private static final String TOPIC = "blog.comments.v1";
    private static final String DLT = "blog.comments.v1.notification-service.dlt";
    private static final String KEY = "0b6f3c52-8a4f-4c37-9d7e-1f2a3b4c5d6e";
    private static final String VALUE = "{\"eventId\":\"e1\",\"type\":\"CommentPosted\",\"schemaVersion\":7}";

    @Test
    void listsReplaysAndCountsADeadLetter(@TempDir Path dir) throws Exception {
        try (KafkaBroker broker = new KafkaBroker(Ports.anyFree(), Ports.anyFree(), System.getProperty("java.class.path"),
                dir.resolve("kafka"), dir.resolve("logs/kafka.log"), List.of("-Xmx256m")).start()) {
            String bootstrap = broker.bootstrapServers();
            RecordMetadata original = deadLetter(bootstrap);

            Result list = ops(bootstrap, "dead-letters", "list");
            assertThat(list.status()).as(list.err()).isZero();
            assertThat(list.out()).contains(DLT + ": 1 dead letters", "key " + KEY,
                    "kafka_dlt-exception-message: unsupported schemaVersion 7",
                    "kafka_dlt-original-topic: " + TOPIC,
                    "kafka_dlt-original-partition: " + original.partition(),
                    "kafka_dlt-original-offset: " + original.offset(),
                    "kafka_dlt-original-consumer-group: notification-service",
                    "event-type: CommentPosted", "value: " + VALUE, "total: 1 dead letters");

            String replayLine = list.out().lines().filter(line -> line.contains("replay: ./ops")).findFirst().orElseThrow();
            List<String> replay = Arrays.asList(replayLine.substring(replayLine.indexOf("./ops") + "./ops".length()).trim().split(" "));
            Result replayed = ops(bootstrap, replay.toArray(String[]::new));
            assertThat(replayed.status()).as(replayed.err()).isZero();
            assertThat(replayed.out()).contains("to " + TOPIC + " partition " + original.partition() + " offset 1");

            List<ConsumerRecord<String, String>> onTopic = read(bootstrap, new TopicPartition(TOPIC, original.partition()), 2);
            ConsumerRecord<String, String> again = onTopic.get(1);
            assertThat(again.key()).isEqualTo(KEY);
            assertThat(again.value()).isEqualTo(VALUE);
            assertThat(new String(again.headers().lastHeader("event-type").value(), StandardCharsets.UTF_8)).isEqualTo("CommentPosted");
            assertThat(again.headers()).noneMatch(header -> header.key().startsWith("kafka_dlt-"));

            Result lag = ops(bootstrap, "lag", "--group", "notification-service");
            assertThat(lag.status()).as(lag.err()).isZero();
            assertThat(lag.out()).containsPattern("notification-service\\s+" + TOPIC.replace(".", "\\.") + "\\s+"
                    + original.partition() + "\\s+1\\s+2\\s+1")
                    .contains("notification-service: total lag 1, state Empty, 0 member(s)");
        }
    }

    @Test
    void saysHowToUseItWhenTheCommandIsWrong() {
        Result wrong = ops("localhost:1", "dead-letters", "replay", "--topic", DLT);
        assertThat(wrong.status()).isEqualTo(2);
        assertThat(wrong.err()).contains("--partition is required", "usage: ./ops dead-letters list");
        assertThat(ops("localhost:1", "nothing").status()).isEqualTo(2);
    }

    /** The consumed original at offset 0 (committed by the group) and its dead letter, headers as Spring Kafka writes them. */
    private static RecordMetadata deadLetter(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                     new StringSerializer(), new StringSerializer())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1), new NewTopic(DLT, 6, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            RecordHeaders event = new RecordHeaders();
            event.add("event-id", "e1".getBytes(StandardCharsets.UTF_8));
            event.add("event-type", "CommentPosted".getBytes(StandardCharsets.UTF_8));
            RecordMetadata original = producer.send(new ProducerRecord<>(TOPIC, null, KEY, VALUE, event)).get(30, TimeUnit.SECONDS);

            RecordHeaders letter = new RecordHeaders(event.toArray());
            letter.add("kafka_dlt-exception-message", "unsupported schemaVersion 7".getBytes(StandardCharsets.UTF_8));
            letter.add("kafka_dlt-exception-fqcn", "org.replyensemble.events.InvalidEventException".getBytes(StandardCharsets.UTF_8));
            letter.add("kafka_dlt-exception-stacktrace", "at ...".getBytes(StandardCharsets.UTF_8));
            letter.add("kafka_dlt-original-topic", TOPIC.getBytes(StandardCharsets.UTF_8));
            letter.add("kafka_dlt-original-partition", ByteBuffer.allocate(4).putInt(original.partition()).array());
            letter.add("kafka_dlt-original-offset", ByteBuffer.allocate(8).putLong(original.offset()).array());
            letter.add("kafka_dlt-original-consumer-group", "notification-service".getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(DLT, original.partition(), KEY, VALUE, letter)).get(30, TimeUnit.SECONDS);

            admin.alterConsumerGroupOffsets("notification-service", Map.of(
                    new TopicPartition(TOPIC, original.partition()), new OffsetAndMetadata(original.offset() + 1)))
                    .all().get(30, TimeUnit.SECONDS);
            return original;
        }
    }

    private static List<ConsumerRecord<String, String>> read(String bootstrap, TopicPartition partition, int count) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            for (int poll = 0; poll < 100 && records.size() < count; poll++) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertThat(records).hasSize(count);
            return records;
        }
    }

    private record Result(int status, String out, String err) {
    }

    private static Result ops(String bootstrap, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Ops.run(List.of(args), Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
