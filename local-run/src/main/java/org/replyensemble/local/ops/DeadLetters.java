package org.replyensemble.local.ops;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Reads the dead-letter topics ({@code <topic>.<group>.dlt}, written by Spring Kafka's
 * DeadLetterPublishingRecoverer) and replays one record to the topic it came from.
 * <p>
 * Hand-written rather than kafka-console-consumer piped into kafka-console-producer: the console
 * consumer prints the headers on the same line as the value (a producer reading that line takes
 * them as the value), it prints Spring's binary headers (original partition and offset) as
 * garbage, and the local run has no Kafka scripts. Reading assigns partitions and joins no group,
 * so it moves nobody's offsets.
 */
final class DeadLetters implements AutoCloseable {

    static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    private static final String SPRING_DLT_PREFIX = "kafka_dlt-";
    private static final Set<String> INT_HEADERS = Set.of("kafka_dlt-original-partition");
    private static final Set<String> LONG_HEADERS = Set.of("kafka_dlt-original-offset", "kafka_dlt-original-timestamp");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final String bootstrapServers;
    private final Admin admin;

    DeadLetters(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    /** Prints every dead letter of one topic, or of every {@code .dlt} topic, with why, where from, and its replay command. */
    void list(String topic, int max, PrintStream out) {
        Set<String> topics = new TreeSet<>();
        if (topic != null) {
            topics.add(topic);
        } else {
            try {
                admin.listTopics().names().get(WAIT.toMillis(), TimeUnit.MILLISECONDS).stream()
                        .filter(name -> name.endsWith(".dlt")).forEach(topics::add);
            } catch (Exception e) {
                throw failure("cannot list the topics at " + bootstrapServers, e);
            }
        }
        int total = 0;
        for (String name : topics) {
            List<ConsumerRecord<byte[], byte[]>> records = readAll(name, max);
            out.println(name + ": " + records.size() + (records.size() == max ? "+" : "") + " dead letters");
            for (ConsumerRecord<byte[], byte[]> record : records) {
                print(record, out);
            }
            total += records.size();
        }
        if (topics.isEmpty()) {
            out.println("no dead-letter topic (*.dlt) at " + bootstrapServers + ": nothing was ever dead-lettered");
        }
        out.println("total: " + total + " dead letters");
    }

    /** Produces the value of one dead letter again, with its key and its event headers, to the topic it came from. */
    void replay(String topic, int partition, long offset, PrintStream out) {
        ConsumerRecord<byte[], byte[]> letter = readOne(new TopicPartition(topic, partition), offset);
        Header original = letter.headers().lastHeader(ORIGINAL_TOPIC);
        if (original == null) {
            throw new IllegalStateException(topic + " partition " + partition + " offset " + offset
                    + " has no " + ORIGINAL_TOPIC + " header: not a dead letter of this project");
        }
        String target = new String(original.value(), StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        for (Header header : letter.headers()) {
            if (!header.key().startsWith(SPRING_DLT_PREFIX)) {
                headers.add(header);
            }
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            RecordMetadata sent = producer.send(new ProducerRecord<>(target, null, letter.key(), letter.value(), headers))
                    .get(40, TimeUnit.SECONDS);
            out.println("replayed " + topic + " partition " + partition + " offset " + offset + " to " + target
                    + " partition " + sent.partition() + " offset " + sent.offset()
                    + " (key " + text(letter.key()) + "); consumers skip it if its eventId was processed already");
        } catch (Exception e) {
            throw failure("cannot produce to " + target, e);
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int max) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, WAIT).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("no topic " + topic + " at " + bootstrapServers);
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, WAIT);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (records.size() < max && !reachedEnd(consumer, ends) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (records.size() < max) {
                        records.add(record);
                    }
                }
            }
            return records;
        }
    }

    private ConsumerRecord<byte[], byte[]> readOne(TopicPartition partition, long offset) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() == offset) {
                        return record;
                    }
                    throw new IllegalStateException("no record at " + partition + " offset " + offset
                            + " (the next one is at " + record.offset() + ")");
                }
            }
            throw new IllegalStateException("no record at " + partition + " offset " + offset + " within " + WAIT.toSeconds() + " s");
        }
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static void print(ConsumerRecord<byte[], byte[]> record, PrintStream out) {
        out.println("- partition " + record.partition() + " offset " + record.offset() + " key " + text(record.key()));
        for (Header header : record.headers()) {
            if (header.key().endsWith("stacktrace")) {
                continue; // pages long; the reason and the cause's class say what happened
            }
            out.println("    " + header.key() + ": " + headerValue(header));
        }
        out.println("    value: " + text(record.value()));
        out.println("    replay: ./ops dead-letters replay --topic " + record.topic() + " --partition " + record.partition()
                + " --offset " + record.offset());
    }

    /** Spring writes the original partition as a 4-byte int and offsets and times as 8-byte longs. */
    static String headerValue(Header header) {
        byte[] value = header.value();
        if (value == null) {
            return "";
        }
        if (INT_HEADERS.contains(header.key()) && value.length == Integer.BYTES) {
            return String.valueOf(ByteBuffer.wrap(value).getInt());
        }
        if (LONG_HEADERS.contains(header.key()) && value.length == Long.BYTES) {
            return String.valueOf(ByteBuffer.wrap(value).getLong());
        }
        return new String(value, StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "(none)" : new String(bytes, StandardCharsets.UTF_8);
    }

    private static IllegalStateException failure(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new IllegalStateException(what + ": " + cause, e);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
