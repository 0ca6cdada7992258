package org.replyensemble.examples.commentevents;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/** What happens to a record the listener cannot apply: Spring Kafka's error handling, configured. */
@Configuration(proxyBeanMethods = false)
class KafkaSetup {

    /** As many partitions as blog.comments.v1: a dead letter keeps its original partition number. */
    static final int PARTITIONS = 6;

    private final String deadLetterTopic;

    KafkaSetup(@Value("${spring.kafka.consumer.group-id}") String group) {
        this.deadLetterTopic = CommentEventsListener.TOPIC + "." + group + ".dlt";
    }

    @Bean
    NewTopic deadLetterTopic() {
        return TopicBuilder.name(deadLetterTopic).partitions(PARTITIONS).build();
    }

    /**
     * A record no retry can fix goes to this group's dead-letter topic at once, with the reason in
     * Spring Kafka's kafka_dlt-* headers, and the consumer goes on. Anything else (the database is
     * away) is retried with a growing pause and no limit, so no good event is ever dead-lettered
     * because of an outage.
     */
    @Bean
    DefaultErrorHandler errorHandler(KafkaOperations<?, ?> kafka) {
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(kafka,
                (record, exception) -> new TopicPartition(deadLetterTopic, record.partition()));
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(30_000);
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        DefaultErrorHandler handler = new DefaultErrorHandler(deadLetters, backOff);
        handler.addNotRetryableExceptions(UnreadableEventException.class);
        return handler;
    }
}
