package org.replyensemble.comments.replica;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.PostEvent;
import org.replyensemble.events.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds the replica from the post topic. A record that does not parse throws
 * InvalidEventException, which the error handler dead-letters at once (see kafka/).
 */
@Component
class PostEventListener {

    private static final Logger log = LoggerFactory.getLogger(PostEventListener.class);

    private final PostReplica replica;

    PostEventListener(PostReplica replica) {
        this.replica = replica;
    }

    @KafkaListener(topics = Topics.POSTS)
    void on(ConsumerRecord<String, String> record) {
        PostEvent event = EventJson.readPostEvent(record.value());
        boolean applied = replica.apply(event.post());
        if (!applied) {
            log.debug("Ignored post {} revision {}: the replica already has it or a newer one",
                    event.postId(), event.post().revision());
        }
    }
}
