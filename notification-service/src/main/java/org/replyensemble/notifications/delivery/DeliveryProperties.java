package org.replyensemble.notifications.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param batchSize    deliveries claimed and sent over one SMTP connection
 * @param pollInterval how often the sender looks for due deliveries when nobody woke it
 * @param backoffBase  wait after the first failed attempt; doubled after each further one
 * @param backoffMax   the longest wait between two attempts
 * @param maxAttempts  attempts before a delivery is FAILED
 * @param claimLease   how long a claimed batch stays invisible to other senders (a crashed sender's
 *                     batch is picked up again after it)
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
        @DefaultValue("10m") Duration backoffMax,
        @DefaultValue("8") int maxAttempts,
        @DefaultValue("2m") Duration claimLease,
        @DefaultValue("2") int senders,
        @DefaultValue("50") int dailyCap,
        @DefaultValue("3") int hardBounceLimit) {

    /** The wait after the given number of failed attempts: base, 2 x base, 4 x base ... up to max. */
    public Duration backoffAfter(int failedAttempts) {
        int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
        Duration wait = backoffBase.multipliedBy(1L << doublings);
        return wait.compareTo(backoffMax) > 0 ? backoffMax : wait;
    }
}
