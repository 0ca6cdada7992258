package org.replyensemble.support.operations;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Kafka check behind the {@code kafka} health component and the group lag metric.
 *
 * @param checkInterval how often the brokers are asked (ensemble.operations.kafka.check-interval)
 * @param timeout       how long one question may take before the broker counts as unreachable
 */
@ConfigurationProperties("ensemble.operations.kafka")
public record KafkaWatchProperties(@DefaultValue("10s") Duration checkInterval, @DefaultValue("3s") Duration timeout) {
}
