package org.replyensemble.notifications.confirmations;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param validity          how long a confirmation link works, and how long deliveries to an
 *                          unconfirmed address are held before they are dropped
 * @param mailboxInterval   the least time between two confirmation emails to one mailbox (plus-tags
 *                          removed): 1 day, i.e. at most one a day
 * @param unansweredLimit   confirmation emails a mailbox gets, ever, while none of its addresses confirms
 * @param sweepInterval     how often held deliveries past the validity are dropped
 * @param sweepBatchSize    rows dropped per statement (small batches never block the hot paths)
 */
@ConfigurationProperties("notifications.confirmation")
public record ConfirmationProperties(
        @DefaultValue("7d") Duration validity,
        @DefaultValue("1d") Duration mailboxInterval,
        @DefaultValue("3") int unansweredLimit,
        @DefaultValue("1m") Duration sweepInterval,
        @DefaultValue("500") int sweepBatchSize) {
}
