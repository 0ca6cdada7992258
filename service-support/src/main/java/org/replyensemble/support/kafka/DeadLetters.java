package org.replyensemble.support.kafka;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.TopicPartition;
import org.replyensemble.events.InvalidEventException;
import org.replyensemble.events.Topics;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.util.backoff.ExponentialBackOff;

/** What a consumer of the ensemble's events does with a record its listener cannot apply. */
public final class DeadLetters {

    private DeadLetters() {
    }

    /**
     * A record that can never be applied (InvalidEventException: bad JSON, no type, an
     * unsupported schema version or missing fields of a known type) goes to this group's
     * dead-letter topic at once, same partition,
     * with Spring Kafka's kafka_dlt-exception-* and kafka_dlt-original-* headers saying why and
     * where from, and the consumer moves on. Anything else (the database is down...) is retried
     * with a growing pause and no limit: a good event is never dead-lettered because a
     * dependency was away for a while; the partition waits for it instead. An event of a type
     * the consumer does not handle is neither: see {@link SkippedEvents}.
     */
    public static DefaultErrorHandler errorHandler(KafkaOperations<?, ?> template, String consumerGroup, MeterRegistry meters) {
        return errorHandler(template, consumerGroup, meters, Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    public static DefaultErrorHandler errorHandler(KafkaOperations<?, ?> template, String consumerGroup, MeterRegistry meters,
            Duration firstRetry, Duration longestPause) {
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(Topics.deadLetterTopic(record.topic(), consumerGroup), record.partition()));
        ExponentialBackOff backOff = new ExponentialBackOff(firstRetry.toMillis(), 2.0);
        backOff.setMaxInterval(longestPause.toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        DefaultErrorHandler handler = new DefaultErrorHandler((record, exception) -> {
            deadLetters.accept(record, withoutBatchWrapper(exception));
            Counter.builder("events.dead_lettered").description("Records sent to a dead-letter topic")
                    .tag("topic", record.topic()).register(meters).increment();
        }, backOff);
        handler.addNotRetryableExceptions(InvalidEventException.class);
        // A record that failed and will be tried again (a dependency away): what an operator watches during an outage.
        handler.setRetryListeners((record, exception, deliveryAttempt) -> Counter.builder("events.retried")
                .description("Records whose processing failed and will be retried (a dependency was away)")
                .tag("topic", record.topic()).register(meters).increment());
        return handler;
    }

    /**
     * A batch listener names its failing record with a BatchListenerFailedException around the
     * real failure; the dead letter's headers (kafka_dlt-exception-cause-fqcn, -message) should say
     * what was wrong with the record, as they do for a record listener, not that a batch failed.
     */
    static Exception withoutBatchWrapper(Exception exception) {
        for (Throwable t = exception.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof BatchListenerFailedException batch && batch.getCause() instanceof Exception cause) {
                String group = exception instanceof ListenerExecutionFailedException failed ? failed.getGroupId() : null;
                return new ListenerExecutionFailedException(exception.getMessage(), group, cause);
            }
        }
        return exception;
    }
}
