package org.replyensemble.notifications.erasure;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Topics;
import org.replyensemble.support.erasure.ErasureKey;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The erasure key (checked at start-up like the token secrets), the listener and the operator's export. */
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

    /** Operators only (/api/**, NotificationAccess); the address in a POST body, never in a URL. */
    @RestController
    static class ExportController {

        record AddressRequest(@NotBlank @Email @Size(max = 254) String email) {
        }

        private final Erasures erasures;

        ExportController(Erasures erasures) {
            this.erasures = erasures;
        }

        @PostMapping("/api/operator/exports")
        Erasures.Export export(@Valid @RequestBody AddressRequest request) {
            return erasures.export(request.email());
        }
    }
}
