package org.replyensemble.notifications.operations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * {@code notifications.deliveries.oldest.pending.age} (seconds): how long the oldest delivery still
 * PENDING has waited since it was recorded, 0 when none waits. It grows while mail is stopped or
 * slow, whatever the reason (SMTP down, senders stuck, retries backing off), which a count of
 * pending rows does not tell apart from a large but moving fan-out. HELD deliveries wait for their
 * recipient, and flood-control summaries for their window to close: neither is counted.
 * <p>
 * Read on a schedule, not at the scrape, so a scrape never waits on the database.
 */
public final class OldestPendingDelivery {

    private static final Logger log = LoggerFactory.getLogger(OldestPendingDelivery.class);

    /**
     * The lowest pending id is (near enough) the oldest: ids grow with time, and the (status, id)
     * index of the rows that are not SENT answers this without reading the pending rows.
     * A flood-control summary waits for its window to close by design (10 minutes by default):
     * not counted, or the gauge would always show that much; a mail outage still shows in the
     * reply emails, which the same sender sends.
     */
    public static final String OLDEST_PENDING = """
            select created_at from delivery where status = 'PENDING' and reason <> 'SUMMARY' order by id limit 1""";

    private final JdbcClient jdbc;
    private final Clock clock;
    private volatile double ageSeconds = Double.NaN;

    public OldestPendingDelivery(JdbcClient jdbc, MeterRegistry meters, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        Gauge.builder("notifications.deliveries.oldest.pending.age", this, o -> o.ageSeconds)
                .description("Seconds the oldest PENDING delivery has waited since it was recorded (0: none pending)")
                .baseUnit("seconds")
                .register(meters);
    }

    @Scheduled(fixedDelayString = "${notifications.operations.refresh-interval:10s}", initialDelay = 0)
    public void refresh() {
        try {
            Optional<OffsetDateTime> oldest = jdbc.sql(OLDEST_PENDING).query(OffsetDateTime.class).optional();
            ageSeconds = oldest.map(at -> Math.max(0, Duration.between(at.toInstant(), Instant.now(clock)).toMillis() / 1000.0))
                    .orElse(0.0);
        } catch (RuntimeException e) {
            ageSeconds = Double.NaN;
            log.debug("cannot read the oldest pending delivery", e);
        }
    }

    public double ageSeconds() {
        return ageSeconds;
    }
}
