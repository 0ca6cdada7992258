package org.replyensemble.notifications.retention;

import java.time.Duration;

import org.replyensemble.events.Topics;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long notification-service keeps what would otherwise grow without end (README, "Retention").
 *
 * @param processedEvents the ids of handled events. They stop a redelivered or replayed event from
 *                        acting twice, and an event can come back as long as its topic keeps it (a
 *                        group reset to the earliest offset, an operator's replay): so they must be
 *                        kept longer than the comment topic's retention (30 days), with a margin for
 *                        a consumer that was away; the service does not start otherwise
 * @param deliveries      deliveries that are over (SENT, FAILED, SUPPRESSED, DROPPED, SKIPPED,
 *                        CANCELLED, FOLDED), by creation; PENDING and HELD ones are never deleted
 * @param closedThreads   the comments of a thread whose post has not taken comments for this long
 *                        (its thread row and participants stay, so a reopened post mails the right people)
 * @param recipientDays   the per-recipient daily counts of the daily cap
 * @param batchSize       rows per delete statement (each its own short transaction)
 * @param interval        how often the job runs
 */
@ConfigurationProperties("notifications.retention")
public record RetentionProperties(
        @DefaultValue("60d") Duration processedEvents,
        @DefaultValue("90d") Duration deliveries,
        @DefaultValue("180d") Duration closedThreads,
        @DefaultValue("7d") Duration recipientDays,
        @DefaultValue("1000") int batchSize,
        @DefaultValue("1h") Duration interval) {

    public RetentionProperties {
        if (processedEvents.compareTo(Topics.COMMENTS_RETENTION) <= 0) {
            throw new IllegalArgumentException("notifications.retention.processed-events (" + processedEvents
                    + ") must be longer than the retention of " + Topics.COMMENTS + " (" + Topics.COMMENTS_RETENTION
                    + "): an event still on the topic could otherwise be replayed and act a second time");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("notifications.retention.batch-size must be 1 or more");
        }
    }
}
