package org.replyensemble.comments.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code comments.rate-limit.*}: how many comments one client address and one mailbox may post,
 * as a burst per minute and a total per day (each refilled evenly over its period). A person
 * comments a few times a minute at most; several people behind one address (an office, a campus,
 * a mobile carrier's NAT) share the client budget, which is why it is the larger one.
 */
@ConfigurationProperties("comments.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10") long clientPerMinute,
        @DefaultValue("100") long clientPerDay,
        @DefaultValue("5") long mailboxPerMinute,
        @DefaultValue("50") long mailboxPerDay,
        /** IPv6 clients are counted by network: one subscriber usually holds a whole /64. */
        @DefaultValue("64") int ipv6PrefixLength) {

    public RateLimitProperties {
        if (clientPerMinute < 1 || clientPerDay < 1 || mailboxPerMinute < 1 || mailboxPerDay < 1) {
            throw new IllegalArgumentException("comments.rate-limit budgets must be 1 or more (turn the limits off with"
                    + " comments.rate-limit.enabled=false instead)");
        }
        if (ipv6PrefixLength < 1 || ipv6PrefixLength > 128) {
            throw new IllegalArgumentException("comments.rate-limit.ipv6-prefix-length must be 1..128, not " + ipv6PrefixLength);
        }
    }

    public Budget client() {
        return new Budget(clientPerMinute, clientPerDay);
    }

    public Budget mailbox() {
        return new Budget(mailboxPerMinute, mailboxPerDay);
    }

    public record Budget(long perMinute, long perDay) {
        @Override
        public String toString() {
            return perMinute + "/min, " + perDay + "/day";
        }
    }
}
