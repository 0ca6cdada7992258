package org.replyensemble.testing;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.kafka.KafkaContainer;

/**
 * One Kafka broker per test JVM, shared by every test class: spring-kafka-test's embedded KRaft
 * broker, or an {@code apache/kafka} container, as {@link TestInfrastructure} decides. Started
 * before the first test (registered with the JUnit Platform through META-INF/services) and
 * announced the way the embedded broker announces itself, with the system property
 * {@code spring.kafka.bootstrap-servers}, which every Spring context of the JVM then uses.
 *
 * <p>It replaces spring-kafka-test's global embedded broker listener
 * ({@code spring.kafka.global.embedded.enabled}), which knows no containers. A module that runs
 * its own broker turns it off with the JUnit configuration parameter {@value #ENABLED}{@code =false}.
 */
public final class SharedKafka implements TestExecutionListener {

    public static final String ENABLED = "replyensemble.shared-kafka.enabled";
    private static final String BOOTSTRAP_SERVERS = "spring.kafka.bootstrap-servers";
    /** As spring-kafka-test's global broker: new topics get two partitions. */
    private static final int PARTITIONS = 2;

    private EmbeddedKafkaBroker embedded;
    private KafkaContainer container;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        if (!testPlan.getConfigurationParameters().getBoolean(ENABLED).orElse(true) || !testPlan.containsTests()) {
            return;
        }
        if (TestInfrastructure.containers()) {
            container = new KafkaContainer(TestInfrastructure.image("kafka"))
                    .withEnv("KAFKA_NUM_PARTITIONS", String.valueOf(PARTITIONS))
                    .withEnv("KAFKA_HEAP_OPTS", "-Xmx512m");
            container.start();
            System.setProperty(BOOTSTRAP_SERVERS, container.getBootstrapServers());
            System.setProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS, container.getBootstrapServers());
        } else {
            embedded = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
            embedded.afterPropertiesSet(); // sets spring.kafka.bootstrap-servers itself
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (container != null) {
            container.stop();
            container = null;
        }
        if (embedded != null) {
            embedded.destroy();
            embedded = null;
        }
    }
}
