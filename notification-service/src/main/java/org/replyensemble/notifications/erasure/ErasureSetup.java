package org.replyensemble.notifications.erasure;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Topics;
import org.replyensemble.support.erasure.ErasureKey;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** The erasure key (checked at start-up like the token secrets) and the listener; the export is service-support's. */
@Configuration(proxyBeanMethods = false)
class ErasureSetup {

    @Bean
    ErasureKey erasureKey(@Value("${ensemble.erasure.key:}") String key,
            @Value("${ensemble.development-mode:false}") boolean developmentMode) {
        return ErasureKey.from(key, developmentMode);
    }

    @Bean
    org.apache.kafka.clients.admin.NewTopic erasuresTopic() {
        return Topics.erasuresTopic();
    }

    /** The group's own offsets; a malformed record is dead-lettered by the shared error handler. */
    @Component
    static class ErasureListener {

        private final Erasures erasures;

        ErasureListener(Erasures erasures) {
            this.erasures = erasures;
        }

        @KafkaListener(id = "notifications-erasures", idIsGroup = false, topics = Topics.ERASURES)
        void on(ConsumerRecord<String, String> record) {
            if (record.value() == null) {
                return; // a tombstone is not a request
            }
            EventJson.readErasureEvent(record.value()).ifPresent(erasures::apply);
        }
    }
}
