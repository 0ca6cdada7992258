package org.replyensemble.notifications.threads;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.replyensemble.events.Topics;
import org.replyensemble.support.kafka.DeadLetters;
import org.replyensemble.support.kafka.SkippedEvents;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;

/**
 * The topics this service reads (declared so none is ever auto-created with broker defaults)
 * and what happens when a record fails.
 */
@Configuration(proxyBeanMethods = false)
class EventConsumption {

    private final String group;

    EventConsumption(@Value("${spring.kafka.consumer.group-id}") String group) {
        this.group = group;
    }

    @Bean
    NewTopic postsTopic() {
        return Topics.postsTopic();
    }

    @Bean
    NewTopic commentsTopic() {
        return Topics.commentsTopic();
    }

    @Bean
    NewTopic postsDeadLetterTopic() {
        return Topics.deadLetterTopic(Topics.postsTopic(), group);
    }

    @Bean
    NewTopic erasuresDeadLetterTopic() {
        return Topics.deadLetterTopic(Topics.erasuresTopic(), group);
    }

    @Bean
    NewTopic commentsDeadLetterTopic() {
        return Topics.deadLetterTopic(Topics.commentsTopic(), group);
    }

    /** See {@link DeadLetters}: poison records to this group's dead-letter topic, the rest retried without limit. */
    @Bean
    DefaultErrorHandler eventErrorHandler(KafkaTemplate<?, ?> kafka, MeterRegistry meters,
            @Value("${notifications.consumer.retry-initial:500ms}") Duration initial,
            @Value("${notifications.consumer.retry-max:30s}") Duration max) {
        return DeadLetters.errorHandler(kafka, group, meters, initial, max);
    }

    /** Events of a type the listeners do not handle: counted and skipped, never dead-lettered. */
    @Bean
    SkippedEvents skippedEvents(MeterRegistry meters) {
        return new SkippedEvents(meters);
    }
}
