package org.replyensemble.comments.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.replyensemble.events.Topics;
import org.replyensemble.support.kafka.DeadLetters;
import org.replyensemble.support.kafka.SkippedEvents;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;

/** The topics this service touches, and what happens to a record its listener cannot apply. */
@Configuration(proxyBeanMethods = false)
class KafkaSetup {

    // Every topic produced or consumed is declared, so none is auto-created with broker defaults.

    @Bean
    NewTopic postsTopic() {
        return Topics.postsTopic();
    }

    @Bean
    NewTopic commentsTopic() {
        return Topics.commentsTopic();
    }

    @Bean
    NewTopic erasuresTopic() {
        return Topics.erasuresTopic();
    }

    @Bean
    NewTopic erasuresDeadLetterTopic(KafkaProperties kafka) {
        return Topics.deadLetterTopic(Topics.erasuresTopic(), kafka.getConsumer().getGroupId());
    }

    @Bean
    NewTopic postsDeadLetterTopic(KafkaProperties kafka) {
        return Topics.deadLetterTopic(Topics.postsTopic(), kafka.getConsumer().getGroupId());
    }

    /** See {@link DeadLetters}: poison records to this group's dead-letter topic, the rest retried. */
    @Bean
    DefaultErrorHandler kafkaErrorHandler(KafkaTemplate<?, ?> template, KafkaProperties kafka, MeterRegistry meters) {
        return DeadLetters.errorHandler(template, kafka.getConsumer().getGroupId(), meters);
    }

    /** Events of a type the listeners do not handle: counted and skipped, never dead-lettered. */
    @Bean
    SkippedEvents skippedEvents(MeterRegistry meters) {
        return new SkippedEvents(meters);
    }
}
