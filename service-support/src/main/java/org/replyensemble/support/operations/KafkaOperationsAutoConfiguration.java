package org.replyensemble.support.operations;

import java.time.Clock;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * What an operator sees of Kafka in every service: the {@code kafka} health component and
 * {@code kafka.consumer.group.lag{group,topic,partition}}. Off with ensemble.operations.kafka.enabled=false.
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass({ HealthIndicator.class, KafkaProperties.class })
@ConditionalOnBean(KafkaProperties.class)
@ConditionalOnProperty(name = "ensemble.operations.kafka.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(KafkaWatchProperties.class)
public class KafkaOperationsAutoConfiguration {

    @Bean
    KafkaWatch kafkaWatch(KafkaProperties kafka, KafkaWatchProperties properties,
                          ObjectProvider<MeterRegistry> meters, ObjectProvider<KafkaListenerEndpointRegistry> listeners) {
        String group = kafka.getConsumer().getGroupId();
        return new KafkaWatch(kafka.buildAdminProperties(), group == null || group.isBlank() ? null : group,
                () -> listenedTopics(listeners.getIfAvailable()), properties, meters.getIfAvailable(SimpleMeterRegistry::new), Clock.systemUTC());
    }

    private static Set<String> listenedTopics(KafkaListenerEndpointRegistry registry) {
        Set<String> topics = new TreeSet<>();
        if (registry != null) {
            for (MessageListenerContainer container : registry.getAllListenerContainers()) {
                String[] named = container.getContainerProperties().getTopics();
                if (named != null) {
                    topics.addAll(Arrays.asList(named));
                }
            }
        }
        return topics;
    }

    /** Named so the component is {@code kafka} in /actuator/health and in the readiness group's list. */
    @Bean("kafkaHealthIndicator")
    HealthIndicator kafkaHealthIndicator(KafkaWatch watch) {
        return new KafkaHealthIndicator(watch, Clock.systemUTC());
    }
}
