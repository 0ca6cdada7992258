package org.replyensemble.notifications.threads;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps one missing comment from stopping a thread's mail for good. The thread stage fans out in
 * position order; when a position stays missing while a later comment is known (its event was
 * dead-lettered, aged out of the topic, or the group started at the oldest surviving offset), this
 * sweep moves the thread past it after the gap timeout, on whichever instance runs it first (the
 * thread stage's lock keeps them apart). Shows what waits: {@code threads.stalled} (threads
 * waiting at a gap now), {@code threads.gaps_skipped} (positions skipped), and the comments
 * waiting for a post that never arrived ({@code threads.awaiting_post.comments} and the age of the
 * oldest, {@code threads.awaiting_post.oldest_seconds}).
 */
@Component
class ThreadGaps {

    private static final Logger log = LoggerFactory.getLogger(ThreadGaps.class);
    private static final int THREADS_PER_SWEEP = 100;

    private final Threads threads;
    private final JdbcClient jdbc;
    private final Duration timeout;
    private final Counter skipped;

    ThreadGaps(Threads threads, JdbcClient jdbc, MeterRegistry meters,
            @Value("${notifications.threads.gap-timeout:10m}") Duration timeout) {
        this.threads = threads;
        this.jdbc = jdbc;
        this.timeout = timeout;
        this.skipped = Counter.builder("threads.gaps_skipped")
                .description("Thread positions skipped after their comment was missing for longer than the gap timeout")
                .register(meters);
        Gauge.builder("threads.stalled", this, gaps -> gaps.number("select count(*) from thread where gap_since is not null"))
                .description("Threads waiting for a missing comment before they can mail the later ones")
                .register(meters);
        Gauge.builder("threads.awaiting_post.comments", this,
                        gaps -> gaps.number("select coalesce(sum(comments), 0) from awaited_post"))
                .description("Comments waiting for their post's event")
                .register(meters);
        Gauge.builder("threads.awaiting_post.oldest_seconds", this,
                        gaps -> gaps.number("select coalesce(extract(epoch from now() - min(since)), 0) from awaited_post"))
                .description("How long the oldest comment waiting for its post's event has waited")
                .baseUnit("seconds")
                .register(meters);
    }

    @Scheduled(fixedDelayString = "${notifications.threads.gap-check-interval:30s}",
            initialDelayString = "${notifications.threads.gap-check-interval:30s}")
    void skipExpiredGaps() {
        try {
            List<UUID> waiting = threads.waitingLongerThan(timeout, THREADS_PER_SWEEP);
            for (UUID postId : waiting) {
                int positions = threads.skipGap(postId, timeout);
                if (positions > 0) {
                    skipped.increment(positions);
                    log.warn("Thread {} moved past {} missing comment position(s) after waiting {}; see table thread_gap",
                            postId, positions, timeout);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Looking for threads stalled at a gap failed, will try again: {}", e.toString());
        }
    }

    private double number(String sql) {
        try {
            return jdbc.sql(sql).query(Number.class).single().doubleValue();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
