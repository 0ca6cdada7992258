package org.replyensemble.notifications.confirmations;

import java.sql.Timestamp;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Drops deliveries held for an address that did not confirm within the confirmation's validity
 * (7 days by default): status DROPPED with the reason in the delivery log. A scheduled sweep in
 * small batches ({@code SKIP LOCKED}: instances share the work, a row being released by a
 * confirmation at that moment is left to it). Also forgets old daily-cap counters.
 */
@Component
public class HeldDeliveries {

    private static final Logger log = LoggerFactory.getLogger(HeldDeliveries.class);

    private final JdbcClient jdbc;
    private final ConfirmationProperties properties;
    private final Counter dropped;

    HeldDeliveries(JdbcClient jdbc, ConfirmationProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.dropped = Counter.builder("notifications.emails").description("Emails (replies and confirmations) by outcome")
                .tag("outcome", "dropped").register(meters);
    }

    @Scheduled(fixedDelayString = "${notifications.confirmation.sweep-interval:1m}",
            initialDelayString = "${notifications.confirmation.sweep-interval:1m}")
    void sweep() {
        try {
            dropExpired(Instant.now());
            jdbc.sql("delete from recipient_day where day < current_date - 2").update();
        } catch (RuntimeException e) {
            log.warn("Sweeping held deliveries failed, will try again: {}", e.toString());
        }
    }

    /**
     * Drops every delivery held since before {@code now} minus the validity.
     *
     * @return how many were dropped
     */
    public int dropExpired(Instant now) {
        Timestamp cutoff = Timestamp.from(now.minus(properties.validity()));
        String reason = "address not confirmed within " + (properties.validity().toDays() >= 1
                ? properties.validity().toDays() + " days" : properties.validity().toString());
        int total = 0;
        int batch;
        do {
            batch = jdbc.sql("""
                    update delivery set status = 'DROPPED', status_reason = :reason
                     where id in (select id from delivery
                                   where status = 'HELD' and created_at < :cutoff
                                   order by created_at, id
                                   limit :batchSize
                                   for update skip locked)
                    """)
                    .param("reason", reason)
                    .param("cutoff", cutoff)
                    .param("batchSize", properties.sweepBatchSize())
                    .update();
            total += batch;
        } while (batch == properties.sweepBatchSize());
        dropped.increment(total);
        if (total > 0) {
            log.info("Dropped {} deliveries held for addresses that did not confirm", total);
        }
        return total;
    }
}
