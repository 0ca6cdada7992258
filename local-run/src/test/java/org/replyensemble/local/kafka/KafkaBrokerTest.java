package org.replyensemble.local.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.replyensemble.local.Ports;

class KafkaBrokerTest {

    @Test
    void configuresOneKraftNodeOnLocalhost() {
        String properties = new BrokerConfig(9092, 9093, Path.of("/tmp/k")).serverProperties();
        assertThat(properties).contains("process.roles=broker,controller", "node.id=1",
                "listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093",
                "controller.quorum.bootstrap.servers=127.0.0.1:9093", "controller.listener.names=CONTROLLER",
                "offsets.topic.replication.factor=1", "transaction.state.log.min.isr=1",
                "auto.create.topics.enable=false", "group.initial.rebalance.delay.ms=0", "log.dirs=/tmp/k");
    }

    /** A real broker process, from the test classpath (which holds kafka_2.13 and kafka-tools), twice in the same folder. */
    @Test
    void startsARealBrokerFreshEachTime(@TempDir Path dir) throws Exception {
        for (int run = 1; run <= 2; run++) {
            int port = Ports.anyFree();
            int controllerPort = Ports.anyFree();
            Path log = dir.resolve("logs/kafka.log");
            try (KafkaBroker broker = new KafkaBroker(port, controllerPort, System.getProperty("java.class.path"),
                    dir.resolve("kafka"), log, List.of("-Xmx256m")).start();
                 Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).as("run %d starts empty", run).isEmpty();
                admin.createTopics(List.of(new NewTopic("comments", 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
                // The creation is committed by the controller; the broker's metadata, which listTopics
                // reads, follows a moment later (seen empty once on a loaded machine).
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).containsExactly("comments"));
            }
            assertThat(Files.readString(log)).contains("Kafka Server started");
        }
    }

    /** stop() and restart() keep the data: the fault tests take the broker down and expect it back as it was. */
    @Test
    void restartsOnTheSameDataAndPorts(@TempDir Path dir) throws Exception {
        int port = Ports.anyFree();
        try (KafkaBroker broker = new KafkaBroker(port, Ports.anyFree(), System.getProperty("java.class.path"),
                dir.resolve("kafka"), dir.resolve("logs/kafka.log"), List.of("-Xmx256m")).start()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
                 KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                         new StringSerializer(), new StringSerializer())) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                producer.send(new ProducerRecord<>("kept", "k", "before the restart")).get(30, TimeUnit.SECONDS);
            }

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            assertThat(Ports.accepts(port)).isFalse();
            broker.restart();

            assertThat(broker.isRunning()).isTrue();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringDeserializer(), new StringDeserializer())) {
                TopicPartition partition = new TopicPartition("kept", 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                List<String> values = new ArrayList<>();
                for (int poll = 0; poll < 100 && values.isEmpty(); poll++) {
                    consumer.poll(Duration.ofMillis(200)).forEach((ConsumerRecord<String, String> r) -> values.add(r.value()));
                }
                assertThat(values).containsExactly("before the restart");
            }
        }
    }
}
