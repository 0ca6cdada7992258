package org.replyensemble.notifications.threads;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reads the raw JSON and parses it here, so a malformed record surfaces as an
 * InvalidEventException (dead-lettered at once) rather than a deserializer error.
 */
@Component
class ThreadEventsListener {

    private static final Logger log = LoggerFactory.getLogger(ThreadEventsListener.class);

    private final Threads threads;

    ThreadEventsListener(Threads threads) {
        this.threads = threads;
    }

    // idIsGroup = false: the group is spring.kafka.consumer.group-id, shared by all instances.
    @KafkaListener(id = "notifications-posts", idIsGroup = false, topics = Topics.POSTS)
    void onPost(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            // A tombstone on the compacted topic; the post's thread and its deliveries stay.
            log.info("Ignoring a tombstone for post {}", record.key());
            return;
        }
        threads.recordPost(EventJson.readPostEvent(record.value()));
    }

    @KafkaListener(id = "notifications-comments", idIsGroup = false, topics = Topics.COMMENTS)
    void onComment(ConsumerRecord<String, String> record) {
        threads.recordComment(EventJson.readCommentEvent(record.value()));
    }
}
