package org.replyensemble.notifications.threads;

import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.PostEvent;
import org.replyensemble.events.Topics;
import org.replyensemble.support.kafka.SkippedEvents;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reads the raw JSON and parses it here, so a malformed record surfaces as an
 * InvalidEventException (dead-lettered at once) rather than a deserializer error. Each listener
 * names the event types it handles: any other type, including one added to the topic after this
 * build, is skipped and counted (events.skipped), never treated as a new comment.
 */
@Component
class ThreadEventsListener {

    private static final Set<String> POST_TYPES = Set.of(PostEvent.PUBLISHED, PostEvent.UPDATED);
    private static final Set<String> COMMENT_TYPES = Set.of(CommentEvent.POSTED, CommentEvent.EDITED, CommentEvent.DELETED,
            CommentEvent.HIDDEN, CommentEvent.UNHIDDEN);

    private final Threads threads;
    private final SkippedEvents skipped;

    ThreadEventsListener(Threads threads, SkippedEvents skipped) {
        this.threads = threads;
        this.skipped = skipped;
    }

    // idIsGroup = false: the group is spring.kafka.consumer.group-id, shared by all instances.
    @KafkaListener(id = "notifications-posts", idIsGroup = false, topics = Topics.POSTS)
    void onPost(ConsumerRecord<String, String> record) {
        if (skipped.skippedTombstone(record)) {
            return; // the thread and its deliveries stay: see SkippedEvents#skippedTombstone
        }
        skipped.handledOrSkipped(record, EventJson.readPostEvent(record.value()), POST_TYPES).ifPresent(threads::recordPost);
    }

    @KafkaListener(id = "notifications-comments", idIsGroup = false, topics = Topics.COMMENTS)
    void onComment(ConsumerRecord<String, String> record) {
        if (skipped.skippedTombstone(record)) {
            return;
        }
        skipped.handledOrSkipped(record, EventJson.readCommentEvent(record.value()), COMMENT_TYPES).ifPresent(threads::recordComment);
    }
}
