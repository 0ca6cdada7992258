package org.replyensemble.notifications.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param batchSize    deliveries claimed and sent over one SMTP connection
 * @param pollInterval how often the sender looks for due deliveries when nobody woke it
 * @param backoffBase  wait after the first failed attempt; doubled after each further one
 * @param backoffMax   the longest wait between two attempts
 * @param maxAttempts  attempts before a delivery is FAILED; 0 for no limit on the count, so that
 *                     {@code maxAge} alone ends the retries
 * @param maxAge       how long after its first failed attempt a delivery is still retried: an SMTP
 *                     outage shorter than this loses nothing (mail servers themselves retry for days)
 * @param claimLease   how long a claimed batch stays invisible to other senders; renewed every third
 *                     of it while the batch is in flight, so it bounds how long a dead sender's batch
 *                     waits, not how long a batch may take
 * @param senders      sender threads in this instance, each sending its own batches
 * @param dailyCap     reply emails one recipient gets per UTC day at most, across every instance;
 *                     the rest of that day's are SKIPPED
 * @param hardBounceLimit permanent rejections (SMTP 5xx on the recipient) in a row after which an
 *                     address is suppressed
 */
@ConfigurationProperties("notifications.delivery")
public record DeliveryProperties(
        @DefaultValue("50") int batchSize,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("2s") Duration backoffBase,
        @DefaultValue("15m") Duration backoffMax,
        @DefaultValue("0") int maxAttempts,
        @DefaultValue("36h") Duration maxAge,
        @DefaultValue("15s") Duration claimLease,
        @DefaultValue("2") int senders,
        @DefaultValue("50") int dailyCap,
        @DefaultValue("3") int hardBounceLimit) {

    /** How often the claims in flight are renewed: three renewals may fail before a lease runs out. */
    public Duration leaseRenewal() {
        return claimLease.dividedBy(3);
    }

    /** The wait after the given number of failed attempts: base, 2 x base, 4 x base ... up to max. */
    public Duration backoffAfter(int failedAttempts) {
        int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
        Duration wait = backoffBase.multipliedBy(1L << doublings);
        return wait.compareTo(backoffMax) > 0 ? backoffMax : wait;
    }
}
