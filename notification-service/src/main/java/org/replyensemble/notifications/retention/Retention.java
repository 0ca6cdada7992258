package org.replyensemble.notifications.retention;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes what is past its retention ({@link RetentionProperties}), a batch at a time: each batch
 * is one short transaction deleting at most {@code batchSize} rows it could lock without waiting
 * (SKIP LOCKED), so the consumers and senders never queue behind it. One instance at a time: each
 * batch first takes a transaction-level advisory lock, and an instance that cannot get it leaves
 * this round to the one that has it.
 */
@Component
public class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    /** Any constant: the service has its own database. */
    private static final long RETENTION_LOCK = 0x726574656e74L;
    private static final String FINISHED = "('SENT', 'FAILED', 'SUPPRESSED', 'DROPPED', 'SKIPPED', 'CANCELLED', 'FOLDED')";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final RetentionProperties properties;
    private final MeterRegistry meters;

    Retention(JdbcClient jdbc, TransactionTemplate transactions, RetentionProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.properties = properties;
        this.meters = meters;
    }

    @Scheduled(fixedDelayString = "${notifications.retention.interval:1h}", initialDelayString = "${notifications.retention.initial-delay:5m}")
    void scheduled() {
        try {
            Map<String, Integer> deleted = purge();
            if (deleted.values().stream().anyMatch(count -> count > 0)) {
                log.info("Retention deleted {}", deleted);
            }
        } catch (RuntimeException e) {
            log.warn("Retention round failed; the next one tries again: {}", e.toString());
        }
    }

    /** One round: every kind of row past its retention. Returns how many rows of each were deleted. */
    public Map<String, Integer> purge() {
        Map<String, Integer> deleted = new LinkedHashMap<>();
        deleted.put("processed_event", inBatches("processed_event", properties.processedEvents(), """
                delete from processed_event where event_id in (
                    select event_id from processed_event where processed_at < now() - make_interval(secs => :seconds)
                     limit :batch for update skip locked)
                """));
        deleted.put("delivery", inBatches("delivery", properties.deliveries(), """
                delete from delivery where id in (
                    select id from delivery where status in %s and created_at < now() - make_interval(secs => :seconds)
                     limit :batch for update skip locked)
                """.formatted(FINISHED)));
        // A comment whose delivery still waits (PENDING, HELD) stays: the sender reads its text.
        deleted.put("thread_comment", inBatches("thread_comment", properties.closedThreads(), """
                delete from thread_comment where comment_id in (
                    select c.comment_id from thread t join thread_comment c on c.post_id = t.post_id
                     where t.closed_at < now() - make_interval(secs => :seconds)
                       and not exists (select 1 from delivery d where d.comment_id = c.comment_id and d.status in ('PENDING', 'HELD'))
                       -- nor while a summary that may carry it waits (its comments are read from the thread)
                       and not exists (select 1 from delivery s where s.post_id = c.post_id and s.reason = 'SUMMARY'
                                          and s.status in ('PENDING', 'HELD') and c.position >= s.summary_from_position)
                     limit :batch for update of c skip locked)
                """));
        deleted.put("recipient_day", inBatches("recipient_day", properties.recipientDays(), """
                delete from recipient_day where (email, day) in (
                    select email, day from recipient_day where day < (now() - make_interval(secs => :seconds))::date
                     limit :batch for update skip locked)
                """));
        return deleted;
    }

    private int inBatches(String table, Duration retention, String delete) {
        Counter counter = Counter.builder("notifications.retention.deleted").tag("table", table)
                .description("Rows deleted past their retention").register(meters);
        int total = 0;
        while (true) {
            Integer deleted = transactions.execute(status -> {
                boolean mine = jdbc.sql("select pg_try_advisory_xact_lock(:key)").param("key", RETENTION_LOCK)
                        .query(Boolean.class).single();
                if (!mine) {
                    return -1;
                }
                return jdbc.sql(delete)
                        .param("seconds", (double) retention.toMillis() / 1000)
                        .param("batch", properties.batchSize())
                        .update();
            });
            if (deleted == null || deleted < 0) {
                return total; // another instance is on it
            }
            total += deleted;
            counter.increment(deleted);
            if (deleted < properties.batchSize()) {
                return total;
            }
        }
    }
}
