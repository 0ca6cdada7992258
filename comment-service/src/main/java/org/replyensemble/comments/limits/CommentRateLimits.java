package org.replyensemble.comments.limits;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.replyensemble.support.problems.Problems;
import org.replyensemble.support.text.Mailboxes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * The comment rate limits: a budget per client address and one per mailbox, each a token bucket
 * with a per-minute burst and a per-day total, kept in this service's PostgreSQL so every instance
 * counts against the same buckets.
 *
 * <p>Bucket4j's select-for-update proxy manager, not the advisory-lock one: a row lock serializes
 * only the requests for one bucket (one client, one mailbox), and there is nothing to collide
 * with. The advisory-lock manager locks a number made from the key's 32-bit hashCode in the
 * database's one advisory-lock space, so two unrelated keys (or the outbox relay's lock) could
 * make each other wait.
 *
 * <p>Each check is its own short transaction on its own connection, before the comment's
 * transaction begins: a refused comment writes nothing but the bucket, and the bucket's lock is
 * never held while the comment is written.
 */
@Component
public class CommentRateLimits {

    private static final Logger log = LoggerFactory.getLogger(CommentRateLimits.class);
    private static final int CLEAN_BATCH = 1_000;

    private final RateLimitProperties properties;
    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;
    private final BucketConfiguration clientBudget;
    private final BucketConfiguration mailboxBudget;
    private final String settings;
    private final Counter refusedForClient;
    private final Counter refusedForMailbox;

    CommentRateLimits(RateLimitProperties properties, DataSource dataSource, MeterRegistry meters) {
        this.properties = properties;
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_bucket")
                .idColumn("id")
                .stateColumn("state")
                .expiresAtColumn("expires_at")
                // A bucket row is kept until its bucket would be full again, then it is worth nothing.
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                .requestTimeout(Duration.ofSeconds(5))
                .build();
        this.clientBudget = budget(properties.client());
        this.mailboxBudget = budget(properties.mailbox());
        // A bucket keeps the configuration it was created with; a key that names the settings
        // makes a change of limits take effect at once (with fresh buckets) instead of never.
        this.settings = properties.client() + "|" + properties.mailbox() + "|" + properties.ipv6PrefixLength();
        this.refusedForClient = refusedCounter(meters, "client");
        this.refusedForMailbox = refusedCounter(meters, "mailbox");
    }

    public RateLimitProperties limits() {
        return properties;
    }

    /**
     * Takes one comment from the client's budget and then from the mailbox's.
     *
     * @throws ErrorResponseException a 429 problem with Retry-After (seconds) when a budget is spent
     * @throws DataAccessResourceFailureException when the database does not answer (a 503)
     */
    public void takeOne(String remoteAddress, String authorEmail) {
        if (!properties.enabled()) {
            return;
        }
        take("client", ClientAddress.of(remoteAddress, properties.ipv6PrefixLength()), clientBudget, refusedForClient,
                "Too many comments from your network; please wait before commenting again.");
        take("mailbox", Mailboxes.of(authorEmail), mailboxBudget, refusedForMailbox,
                "Too many comments from this email address; please wait before commenting again.");
    }

    private void take(String kind, String who, BucketConfiguration budget, Counter refused, String detail) {
        ConsumptionProbe probe;
        try {
            probe = buckets.builder().build(key(kind, who), () -> budget).tryConsumeAndReturnRemaining(1);
        } catch (BucketExceptions.BucketExecutionException e) {
            throw new DataAccessResourceFailureException("The rate limit store is unavailable", e);
        }
        if (probe.isConsumed()) {
            return;
        }
        refused.increment();
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        ErrorResponseException tooMany = Problems.exception(HttpStatus.TOO_MANY_REQUESTS, "too-many-comments",
                "Too many comments", detail + " Try again in " + seconds + " s.");
        tooMany.getBody().setProperty("limit", kind);
        tooMany.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
        throw tooMany;
    }

    /** Deletes buckets that are full again (their rows say nothing any more). */
    @Scheduled(fixedDelayString = "${comments.rate-limit.clean-every:PT10M}", initialDelayString = "PT1M")
    void removeFullBuckets() {
        if (!properties.enabled()) {
            return;
        }
        try {
            int removed;
            do {
                removed = buckets.removeExpired(CLEAN_BATCH);
            } while (removed == CLEAN_BATCH);
        } catch (RuntimeException e) {
            log.warn("Could not clean the rate limit buckets (tried again later): {}", e.toString());
        }
    }

    /** The bucket's id: a hash, so the table holds no address, and changed settings get new buckets. */
    private String key(String kind, String who) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((settings + "|" + kind + "|" + who).getBytes(StandardCharsets.UTF_8));
            return kind + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static BucketConfiguration budget(RateLimitProperties.Budget budget) {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(budget.perMinute()).refillGreedy(budget.perMinute(), Duration.ofMinutes(1)))
                .addLimit(limit -> limit.capacity(budget.perDay()).refillGreedy(budget.perDay(), Duration.ofDays(1)))
                .build();
    }

    private static Counter refusedCounter(MeterRegistry meters, String limit) {
        return Counter.builder("comments.rate_limited").description("Comments refused with 429 because a budget was spent")
                .tag("limit", limit).register(meters);
    }
}
