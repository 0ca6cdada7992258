package org.replyensemble.comments.replica;

import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.PostEvent;
import org.replyensemble.events.Topics;
import org.replyensemble.support.kafka.SkippedEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

/**
 * Feeds the replica from the post topic. A record that does not parse throws
 * InvalidEventException, which the error handler dead-letters at once (see kafka/); an event of
 * a type the replica does not handle is skipped and counted.
 *
 * <p>While any replica row lacks the columns the pages added (a deployment upgraded from before
 * them), each assignment starts from the topic's beginning: the compacted topic holds every
 * post's latest state, and a replayed revision fills exactly those rows (see
 * {@link PostReplica#apply}). Once none lacks them, the committed offsets rule again.
 */
@Component
class PostEventListener implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(PostEventListener.class);

    /** Both carry the post's whole state; named here so a type added to the topic later is skipped, not applied. */
    private static final Set<String> HANDLED = Set.of(PostEvent.PUBLISHED, PostEvent.UPDATED);

    private final PostReplica replica;
    private final SkippedEvents skipped;

    PostEventListener(PostReplica replica, SkippedEvents skipped) {
        this.replica = replica;
        this.skipped = skipped;
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        if (!assignments.isEmpty() && replica.needsBackfill()) {
            log.info("Some replicated posts lack their text, author name, date or author address: reading {} from the beginning",
                    assignments.keySet());
            callback.seekToBeginning(assignments.keySet());
        }
    }

    @KafkaListener(topics = Topics.POSTS)
    void on(ConsumerRecord<String, String> record) {
        if (skipped.skippedTombstone(record)) {
            return; // the replica keeps the post: see SkippedEvents#skippedTombstone
        }
        skipped.handledOrSkipped(record, EventJson.readPostEvent(record.value()), HANDLED).ifPresent(this::apply);
    }

    private void apply(PostEvent event) {
        boolean applied = replica.apply(event.post());
        if (!applied) {
            log.debug("Ignored post {} revision {}: the replica already has it or a newer one",
                    event.postId(), event.post().revision());
        }
    }
}
