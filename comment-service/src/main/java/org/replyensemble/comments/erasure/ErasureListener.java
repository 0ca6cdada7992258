package org.replyensemble.comments.erasure;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Topics;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reads blog.erasures.v1 (the group's own offsets; the topic is compacted and kept for ever, so a
 * new group reads every erasure ever asked). A malformed record is dead-lettered by the shared
 * error handler; while an outbox row with the address waits for the relay, the record is retried.
 */
@Component
class ErasureListener {

    private final Erasures erasures;

    ErasureListener(Erasures erasures) {
        this.erasures = erasures;
    }

    @KafkaListener(id = "comments-erasures", idIsGroup = false, topics = Topics.ERASURES)
    void on(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return; // a tombstone is not a request
        }
        EventJson.readErasureEvent(record.value()).ifPresent(erasures::apply);
    }
}
