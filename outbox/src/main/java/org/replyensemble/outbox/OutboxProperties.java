package org.replyensemble.outbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tuning of the outbox relay. The relay is woken right after each commit that wrote an event,
 * so {@code pollInterval} is only the fallback for events committed by another instance.
 * Published rows are kept {@code retention} (7 days) and deleted every {@code cleanupInterval}
 * (1 hour), {@code cleanupBatchSize} (1000) rows per statement.
 */
@ConfigurationProperties("outbox")
public record OutboxProperties(
        Boolean relayEnabled,
        Duration pollInterval,
        Integer batchSize,
        Duration sendTimeout,
        Duration retention,
        Duration cleanupInterval,
        Integer cleanupBatchSize) {

    public OutboxProperties {
        relayEnabled = relayEnabled == null ? Boolean.TRUE : relayEnabled;
        pollInterval = pollInterval == null ? Duration.ofMillis(500) : pollInterval;
        batchSize = batchSize == null ? 500 : batchSize;
        sendTimeout = sendTimeout == null ? Duration.ofSeconds(30) : sendTimeout;
        retention = retention == null ? Duration.ofDays(7) : retention;
        cleanupInterval = cleanupInterval == null ? Duration.ofHours(1) : cleanupInterval;
        cleanupBatchSize = cleanupBatchSize == null ? 1000 : cleanupBatchSize;
    }
}
