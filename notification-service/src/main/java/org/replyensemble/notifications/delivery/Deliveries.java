package org.replyensemble.notifications.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.replyensemble.notifications.addresses.Addresses;
import org.replyensemble.notifications.email.ReplyEmail;
import org.replyensemble.notifications.threads.Reason;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The delivery log: claims, outcomes and the operator's queries. */
@Repository
class Deliveries {

    private static final int MAX_ERROR_LENGTH = 1000;

    private final JdbcClient jdbc;

    Deliveries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims due deliveries for this sender: SKIP LOCKED lets several instances claim at once
     * without waiting on each other, and pushing next_attempt_at by the lease hides the batch
     * from them after this statement commits, without holding a transaction open during SMTP.
     */
    List<Long> claimDue(int batchSize, Duration lease) {
        return jdbc.sql("""
                update delivery set next_attempt_at = now() + make_interval(secs => :leaseSeconds)
                 where id in (select id from delivery
                               where status = 'PENDING' and next_attempt_at <= now()
                               order by id
                               limit :batchSize
                               for update skip locked)
                returning id
                """)
                .param("leaseSeconds", (double) lease.toMillis() / 1000)
                .param("batchSize", batchSize)
                .query(Long.class)
                .list()
                .stream().sorted().toList();
    }

    List<OutgoingEmail> load(List<Long> ids) {
        return jdbc.sql("""
                select d.id, d.comment_id, d.post_id, d.recipient_email, d.recipient_name, d.reason, d.attempts,
                       t.slug, t.title, c.author_name as commenter_name, c.excerpt,
                       exists (select 1 from unsubscription u
                                where u.email = d.recipient_email
                                  and (u.post_id = d.post_id or u.post_id is null)) as unsubscribed
                  from delivery d
                  join thread t on t.post_id = d.post_id
                  join thread_comment c on c.comment_id = d.comment_id
                 where d.id in (:ids)
                 order by d.id
                """)
                .param("ids", ids)
                .query((rs, row) -> new OutgoingEmail(rs.getLong("id"), rs.getInt("attempts"), rs.getBoolean("unsubscribed"),
                        new ReplyEmail(rs.getObject("comment_id", UUID.class), rs.getObject("post_id", UUID.class),
                                rs.getString("slug"), rs.getString("title"), rs.getString("recipient_email"),
                                rs.getString("recipient_name"), rs.getString("commenter_name"), rs.getString("excerpt"),
                                Reason.valueOf(rs.getString("reason")))))
                .list();
    }

    /**
     * One statement (one round trip, one commit) for a whole sent batch: marking each message on its
     * own cost a round trip and a commit per email. With this and a second sender thread the
     * benchmark's 20,000-email backlog went from 532 to 1,266 emails/s (bench/, issue #4).
     */
    void markSent(List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("""
                update delivery set status = 'SENT', sent_at = now(), attempts = attempts + 1, last_error = null
                 where id in (:ids)
                """)
                .param("ids", ids)
                .update();
    }

    void markSuppressed(long id) {
        jdbc.sql("update delivery set status = 'SUPPRESSED' where id = :id").param("id", id).update();
    }

    /** Counts the failed attempt; returns the new status (PENDING again, or FAILED for good). */
    DeliveryStatus markAttemptFailed(long id, int attemptsBefore, String error, Duration backoff, int maxAttempts) {
        DeliveryStatus status = attemptsBefore + 1 >= maxAttempts ? DeliveryStatus.FAILED : DeliveryStatus.PENDING;
        jdbc.sql("""
                update delivery set attempts = attempts + 1, last_error = :error, status = :status,
                       next_attempt_at = now() + make_interval(secs => :backoffSeconds)
                 where id = :id
                """)
                .param("id", id)
                .param("error", storable(error))
                .param("status", status.name())
                .param("backoffSeconds", (double) backoff.toMillis() / 1000)
                .update();
        return status;
    }

    long countPending() {
        return jdbc.sql("select count(*) from delivery where status = 'PENDING'").query(Long.class).single();
    }

    List<DeliveryView> find(UUID commentId, DeliveryStatus status, int page, int size) {
        return jdbc.sql("""
                select * from delivery
                 where (cast(:commentId as uuid) is null or comment_id = :commentId)
                   and (cast(:status as text) is null or status = :status)
                 order by id
                 limit :size offset :offset
                """)
                .param("commentId", commentId)
                .param("status", status == null ? null : status.name())
                .param("size", size)
                .param("offset", (long) page * size)
                .query((rs, row) -> view(rs))
                .list();
    }

    Optional<DeliveryView> findById(long id) {
        return jdbc.sql("select * from delivery where id = :id").param("id", id).query((rs, row) -> view(rs)).optional();
    }

    /** Puts a FAILED delivery back in line with a fresh set of attempts; empty if it was not FAILED. */
    Optional<DeliveryView> retry(long id) {
        return jdbc.sql("""
                update delivery set status = 'PENDING', attempts = 0, next_attempt_at = now()
                 where id = :id and status = 'FAILED'
                returning *
                """)
                .param("id", id)
                .query((rs, row) -> view(rs))
                .optional();
    }

    private static DeliveryView view(ResultSet rs) throws SQLException {
        return new DeliveryView(rs.getLong("id"), rs.getObject("comment_id", UUID.class), rs.getObject("post_id", UUID.class),
                Addresses.mask(rs.getString("recipient_email")), rs.getString("reason"),
                DeliveryStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                Addresses.maskWithin(rs.getString("last_error")), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("sent_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** SMTP errors name the recipient: the log keeps them masked, and short. */
    private static String storable(String error) {
        String masked = Addresses.maskWithin(error == null ? "unknown error" : error);
        return masked.length() > MAX_ERROR_LENGTH ? masked.substring(0, MAX_ERROR_LENGTH) : masked;
    }
}
