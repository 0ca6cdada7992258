package org.replyensemble.notifications.threads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.PostEvent;
import org.replyensemble.events.Topics;
import org.replyensemble.support.kafka.SkippedEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.stereotype.Component;

/**
 * Reads the raw JSON and parses it here, so a malformed record surfaces as an
 * InvalidEventException (dead-lettered at once) rather than a deserializer error. Each listener
 * names the event types it handles: any other type, including one added to the topic after this
 * build, is skipped and counted (events.skipped), never treated as a new comment.
 *
 * <p>Comments are consumed a poll at a time, by {@code notifications.threads.consumers} consumer
 * threads (2 by default, at most one per partition). A consumer thread stores a poll's comments, one
 * transaction per thread; a small thread (at most {@code notifications.threads.fan-out-inline-up-to}
 * participants) is fanned out in that same transaction ({@link Threads#recordAndAdvanceIfSmall}).
 * The other threads (direct replies' deliveries written with their comments) go to the consumer
 * thread's lane of the {@link ThreadAdvancer}, which fans them out and then acknowledges the poll,
 * while the consumer thread stores the next one. One thread's events share a partition
 * (the key is the post id), so they arrive in order on one consumer; the thread stage's per-post
 * locks ({@link ThreadLocks}) keep a post's own events and another instance's (during a rebalance)
 * apart.
 *
 * <p>A record that fails is named to Spring Kafka's error handler by its index in the poll
 * (BatchListenerFailedException): what came before it is committed (and fanned out by the lane),
 * a poison record goes to the
 * dead-letter topic alone, and the rest of the poll is delivered again (what was recorded already
 * is recognised by its event id and changes nothing).
 */
@Component
class ThreadEventsListener {

    private static final Logger log = LoggerFactory.getLogger(ThreadEventsListener.class);

    private static final Set<String> POST_TYPES = Set.of(PostEvent.PUBLISHED, PostEvent.UPDATED);
    private static final Set<String> COMMENT_TYPES = Set.of(CommentEvent.POSTED, CommentEvent.EDITED, CommentEvent.DELETED,
            CommentEvent.HIDDEN, CommentEvent.UNHIDDEN);

    private final Threads threads;
    private final ThreadAdvancer advancer;
    private final SkippedEvents skipped;
    private final int smallThread;

    ThreadEventsListener(Threads threads, ThreadAdvancer advancer, SkippedEvents skipped,
            @Value("${notifications.threads.fan-out-inline-up-to:50}") int smallThread) {
        this.threads = threads;
        this.advancer = advancer;
        this.skipped = skipped;
        this.smallThread = smallThread;
    }

    // idIsGroup = false: the group is spring.kafka.consumer.group-id, shared by all instances.
    @KafkaListener(id = "notifications-posts", idIsGroup = false, topics = Topics.POSTS)
    void onPost(ConsumerRecord<String, String> record) {
        if (skipped.skippedTombstone(record)) {
            return; // the thread and its deliveries stay: see SkippedEvents#skippedTombstone
        }
        skipped.handledOrSkipped(record, EventJson.readPostEvent(record.value()), POST_TYPES).ifPresent(threads::recordPost);
    }

    @KafkaListener(id = "notifications-comments", idIsGroup = false, topics = Topics.COMMENTS,
            containerFactory = EventConsumption.COMMENT_BATCHES, concurrency = "${notifications.threads.consumers:2}")
    void onComments(List<ConsumerRecord<String, String>> records, Acknowledgment poll) {
        // Parsed in order up to the first record that can never be applied: the ones before it are recorded, then it is named.
        Map<UUID, List<Indexed>> byThread = new LinkedHashMap<>();
        RuntimeException poison = null;
        int poisonAt = -1;
        for (int i = 0; i < records.size() && poison == null; i++) {
            ConsumerRecord<String, String> record = records.get(i);
            try {
                if (skipped.skippedTombstone(record)) {
                    continue;
                }
                int index = i;
                skipped.handledOrSkipped(record, EventJson.readCommentEvent(record.value()), COMMENT_TYPES)
                        .ifPresent(event -> byThread.computeIfAbsent(event.comment().postId(), post -> new ArrayList<>())
                                .add(new Indexed(index, event)));
            } catch (RuntimeException e) {
                poison = e;
                poisonAt = i;
            }
        }
        List<List<Indexed>> threadsInOrder = new ArrayList<>(byThread.values());
        // The threads stored and not fanned out yet: their lane's.
        List<UUID> stored = new ArrayList<>(threadsInOrder.size());
        for (int t = 0; t < threadsInOrder.size(); t++) {
            List<Indexed> comments = threadsInOrder.get(t);
            UUID postId = comments.get(0).event().comment().postId();
            try {
                if (!threads.recordAndAdvanceIfSmall(postId, comments.stream().map(Indexed::event).toList(), smallThread)) {
                    stored.add(postId);
                }
            } catch (RuntimeException e) {
                // Everything from the first record not recorded yet is delivered again (and retried with a pause).
                int firstNotRecorded = threadsInOrder.subList(t, threadsInOrder.size()).stream()
                        .mapToInt(thread -> thread.get(0).index()).min().orElseThrow();
                if (poisonAt >= 0) {
                    firstNotRecorded = Math.min(firstNotRecorded, poisonAt);
                }
                advanceStored(stored);
                throw new BatchListenerFailedException("recording the comments of post " + postId + " failed", e,
                        firstNotRecorded);
            }
        }
        if (poison != null) {
            advanceStored(stored);
            throw new BatchListenerFailedException("record " + poisonAt + " of the poll cannot be applied", poison, poisonAt);
        }
        // Also when every event was seen before (a poll delivered again after a crash): what it stored then is advanced.
        try {
            advancer.advanceThenAcknowledge(stored, poll);
        } catch (RuntimeException e) {
            // The lane stays full: the whole poll comes again after the error handler's pause (stored, it stores nothing).
            throw new BatchListenerFailedException("the comments of this poll are stored; fanning them out must wait", e, 0);
        }
    }

    /**
     * The threads stored before a record that failed: the error handler commits them, so they are not
     * delivered again; their lane fans them out (or, when it is full, ThreadAdvancer's sweep).
     */
    private void advanceStored(List<UUID> stored) {
        try {
            advancer.advanceThenAcknowledge(stored, null);
        } catch (RuntimeException e) {
            log.warn("Threads {} are stored and wait for the sweep to fan them out: {}", stored, e.toString());
        }
    }

    private record Indexed(int index, CommentEvent event) {
    }
}
