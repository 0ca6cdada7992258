package org.replyensemble.events;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;

/**
 * The Kafka topics of the ensemble. Both are keyed by post id, so one thread's events stay in
 * order on one partition; the partition count bounds how many notification-service instances
 * share the work.
 */
public final class Topics {

    /** Post state changes; compacted, so the latest state of every post stays replayable. */
    public static final String POSTS = "blog.posts.v1";

    /** Comments as they are posted; kept by time (not compacted: every comment matters). */
    public static final String COMMENTS = "blog.comments.v1";

    /**
     * Erasure requests, one record per erased address, keyed by its HMAC ({@link ErasureEvent}).
     * Compacted and never deleted (retention.ms -1): it must outlive every topic it cleans, so a
     * consumer that replays the post or comment topics later still learns who was erased. The
     * address itself stays only until the request is sealed (see {@link ErasureEvent}).
     */
    public static final String ERASURES = "blog.erasures.v1";

    public static final int PARTITIONS = 6;

    /**
     * How long comment events are kept. notification-service rides out being away for this long
     * (an outage, a stalled consumer group, a group whose offsets expired and restarts at the
     * oldest surviving event): set explicitly rather than left to the broker's default (7 days),
     * and a month because comment events are small. A thread whose next comment aged out before it
     * was read moves on after the gap timeout (notification-service's notifications.threads.gap-timeout).
     */
    public static final Duration COMMENTS_RETENTION = Duration.ofDays(30);

    /** Each consumer group dead-letters into its own topic, so a replay targets only that consumer. */
    public static String deadLetterTopic(String topic, String consumerGroup) {
        return topic + "." + consumerGroup + ".dlt";
    }

    /**
     * The definitions every service declares (KafkaAdmin creates what is missing), so whichever
     * service starts first, no topic is ever auto-created with the broker's defaults. The
     * replication factor is the broker's default.replication.factor (1 locally, 3 in production).
     */
    public static NewTopic postsTopic() {
        return new NewTopic(POSTS, Optional.of(PARTITIONS), Optional.empty())
                // max.compaction.lag.ms and segment.ms bound how long a superseded state (an erased
                // author's address) can survive: a segment rolls daily and is compacted within a day.
                .configs(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "3600000",
                        "segment.ms", "86400000", "max.compaction.lag.ms", "86400000"));
    }

    /**
     * min.compaction.lag.ms 0 and a daily segment with max.compaction.lag.ms 1 day: the sealed
     * record (subject only) replaces the one with the address within about a day of sealing.
     */
    public static NewTopic erasuresTopic() {
        return new NewTopic(ERASURES, Optional.of(PARTITIONS), Optional.empty())
                .configs(Map.of("cleanup.policy", "compact", "retention.ms", "-1", "min.compaction.lag.ms", "0",
                        "segment.ms", "86400000", "max.compaction.lag.ms", "86400000"));
    }

    public static NewTopic commentsTopic() {
        return new NewTopic(COMMENTS, Optional.of(PARTITIONS), Optional.empty())
                .configs(Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(COMMENTS_RETENTION.toMillis())));
    }

    /** As many partitions as the source: a dead letter keeps its original partition number. */
    public static NewTopic deadLetterTopic(NewTopic source, String consumerGroup) {
        return new NewTopic(deadLetterTopic(source.name(), consumerGroup), Optional.of(PARTITIONS), Optional.empty());
    }

    private Topics() {
    }
}
