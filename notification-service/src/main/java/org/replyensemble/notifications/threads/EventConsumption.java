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
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;

/**
 * The topics this service reads (declared so none is ever auto-created with broker defaults)
 * and what happens when a record fails.
 */
@Configuration(proxyBeanMethods = false)
class EventConsumption {

    /** The container factory of the comment listener: a poll at a time (see {@link ThreadEventsListener}). */
    static final String COMMENT_BATCHES = "commentBatches";

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

    /**
     * Boot's factory with every spring.kafka.* setting and the error handler above, handing the
     * listener a whole poll and the acknowledgment of it. Boot's own factory (one record at a time) stays for the post listener.
     */
    @Bean(COMMENT_BATCHES)
    ConcurrentKafkaListenerContainerFactory<Object, Object> commentBatches(ConcurrentKafkaListenerContainerFactoryConfigurer configurer,
            ConsumerFactory<Object, Object> consumers) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, consumers);
        factory.setBatchListener(true);
        // The listener acknowledges a poll once its threads are fanned out, from another thread
        // (ThreadAdvancer). MANUAL, not MANUAL_IMMEDIATE: the consumer thread commits the acknowledgments
        // queued since its last poll in one commit; immediate, it committed each on its own, synchronously,
        // and when a lane caught up after a hot thread's heavy fan-out, dozens of commits in a row kept
        // it from polling for seconds (a direct reply relayed within 20 ms waited 5 s; docs/benchmark.md).
        // A poll returns at least every second, so an acknowledgment waits at most that long for its commit.
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL);
        factory.getContainerProperties().setPollTimeout(1000);
        // The acknowledgments still queued when the container stops are committed then, synchronously:
        // against a broker that is already gone (a shutdown of the whole host, a test JVM's end) the
        // client's default of 60 s outlasts a grace period (Kubernetes' 30 s). A commit given up is
        // harmless: those events come again, were seen before and store nothing.
        factory.getContainerProperties().setSyncCommitTimeout(Duration.ofSeconds(10));
        return factory;
    }

    /** Events of a type the listeners do not handle: counted and skipped, never dead-lettered. */
    @Bean
    SkippedEvents skippedEvents(MeterRegistry meters) {
        return new SkippedEvents(meters);
    }
}
