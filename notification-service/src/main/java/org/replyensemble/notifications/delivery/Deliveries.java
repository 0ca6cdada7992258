package org.replyensemble.notifications.delivery;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.UUID;

import org.replyensemble.notifications.addresses.Addresses;
import org.replyensemble.notifications.email.ConfirmationEmail;
import org.replyensemble.notifications.email.ReplyEmail;
import org.replyensemble.notifications.preferences.ThreadMode;
import org.replyensemble.notifications.threads.Reason;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** The delivery log: claims, outcomes and the operator's queries. */
@Repository
class Deliveries {

    private static final int MAX_ERROR_LENGTH = 1000;

    private static final String CONFIRMATION = "CONFIRMATION";

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final TransactionTemplate transactions;

    Deliveries(JdbcClient jdbc, JdbcTemplate jdbcTemplate, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.transactions = transactions;
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

    /** The claimed deliveries with their emails' content and their recipients' state as it is now. */
    List<OutgoingEmail> load(List<Long> ids) {
        return jdbc.sql("""
                select d.id, d.comment_id, d.post_id, d.recipient_email, d.recipient_name, d.reason, d.attempts, d.counted_on,
                       t.slug, t.title, c.author_name as commenter_name, c.excerpt,
                       a.greeting_name, a.confirmed_at is not null as confirmed, coalesce(a.mail_enabled, true) as mail_enabled,
                       a.suppression_reason as address_suppression, m.suppression_reason as mailbox_suppression,
                       coalesce(a.hard_bounces, 0) as hard_bounces, coalesce(p.mode, 'EVERY_REPLY') as mode
                  from delivery d
                  join thread t on t.post_id = d.post_id
                  join thread_comment c on c.comment_id = d.comment_id
                  left join address a on a.email = d.recipient_email
                  left join mailbox m on m.mailbox = a.mailbox
                  left join thread_preference p on p.email = d.recipient_email and p.post_id = d.post_id
                 where d.id in (:ids)
                 order by d.id
                """)
                .param("ids", ids)
                .query((rs, row) -> outgoing(rs))
                .list();
    }

    private static OutgoingEmail outgoing(ResultSet rs) throws SQLException {
        String email = rs.getString("recipient_email");
        UUID commentId = rs.getObject("comment_id", UUID.class);
        UUID postId = rs.getObject("post_id", UUID.class);
        Date countedOn = rs.getDate("counted_on");
        OutgoingEmail.Recipient recipient = new OutgoingEmail.Recipient(rs.getBoolean("confirmed"), rs.getBoolean("mail_enabled"),
                rs.getString("address_suppression"), rs.getString("mailbox_suppression"), ThreadMode.valueOf(rs.getString("mode")),
                rs.getInt("hard_bounces"));
        if (CONFIRMATION.equals(rs.getString("reason"))) {
            // The name the asking comment gave: it becomes the greeting name only if the owner confirms.
            return new OutgoingEmail(rs.getLong("id"), rs.getInt("attempts"), email, null, recipient, null,
                    new ConfirmationEmail(commentId, postId, rs.getString("title"), email, rs.getString("recipient_name")));
        }
        String greeting = rs.getString("greeting_name");
        return new OutgoingEmail(rs.getLong("id"), rs.getInt("attempts"), email,
                countedOn == null ? null : countedOn.toLocalDate(), recipient,
                new ReplyEmail(commentId, postId, rs.getString("slug"), rs.getString("title"), email,
                        greeting != null ? greeting : rs.getString("recipient_name"), rs.getString("commenter_name"),
                        rs.getString("excerpt"), Reason.valueOf(rs.getString("reason")), ThreadMode.valueOf(rs.getString("mode"))),
                null);
    }

    /**
     * Counts {@code requested} emails per recipient towards {@code day}, atomically and across
     * instances, and returns each recipient's count after this increment (see {@link DailyCap}).
     * Recipients in address order: two senders counting overlapping batches lock the rows in one order.
     */
    Map<String, Integer> countTowardsCap(SortedMap<String, Integer> requested, LocalDate day) {
        if (requested.isEmpty()) {
            return Map.of();
        }
        Map<String, Integer> after = new HashMap<>();
        jdbcTemplate.query(connection -> {
            PreparedStatement statement = connection.prepareStatement("""
                    insert into recipient_day (email, day, emails)
                    select t.email, ?, t.emails from unnest(?, ?) as t(email, emails) order by t.email
                    on conflict (email, day) do update set emails = recipient_day.emails + excluded.emails
                    returning email, emails
                    """);
            statement.setObject(1, day);
            statement.setArray(2, connection.createArrayOf("text", requested.keySet().toArray()));
            statement.setArray(3, connection.createArrayOf("integer", requested.values().toArray()));
            return statement;
        }, (RowCallbackHandler) rs -> after.put(rs.getString("email"), rs.getInt("emails")));
        return after;
    }

    /**
     * One statement (one round trip, one commit) for a whole sent batch: marking each message on its
     * own cost a round trip and a commit per email. With this and a second sender thread the
     * benchmark's 20,000-email backlog went from 532 to 1,266 emails/s (bench/, issue #4).
     */
    void markSent(List<Long> ids, LocalDate day) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("""
                update delivery set status = 'SENT', sent_at = now(), attempts = attempts + 1, last_error = null,
                       counted_on = case when reason = 'CONFIRMATION' then null else coalesce(counted_on, :day) end
                 where id in (:ids)
                """)
                .param("ids", ids)
                .param("day", day)
                .update();
    }

    /** Ends deliveries that will not be sent (SUPPRESSED, SKIPPED), with the reason. */
    void markUnsent(List<Long> ids, DeliveryStatus status, String reason) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("update delivery set status = :status, status_reason = :reason where id in (:ids) and status = 'PENDING'")
                .param("ids", ids)
                .param("status", status.name())
                .param("reason", reason)
                .update();
    }

    /**
     * A PENDING delivery to an address that is not confirmed (written before this check existed,
     * or by hand) waits for its owner like any held one. The address row is locked first, so a
     * confirmation running now either committed before (then the row stays PENDING and is due at
     * once) or waits and then releases it.
     */
    void hold(long id, String email, String reason) {
        transactions.executeWithoutResult(status -> {
            boolean confirmed = jdbc.sql("select confirmed_at is not null from address where email = :email for share")
                    .param("email", email).query(Boolean.class).optional().orElse(false);
            jdbc.sql(confirmed ? "update delivery set next_attempt_at = now() where id = :id and status = 'PENDING'"
                            : "update delivery set status = 'HELD', status_reason = :reason where id = :id and status = 'PENDING'")
                    .param("id", id)
                    .param("reason", reason)
                    .update();
        });
    }

    /** Counts the failed attempt; returns the new status (PENDING again, or FAILED for good). */
    DeliveryStatus markAttemptFailed(long id, int attemptsBefore, String error, Duration backoff, int maxAttempts,
            LocalDate countedOn) {
        DeliveryStatus status = attemptsBefore + 1 >= maxAttempts ? DeliveryStatus.FAILED : DeliveryStatus.PENDING;
        jdbc.sql("""
                update delivery set attempts = attempts + 1, last_error = :error, status = :status,
                       status_reason = case when :failed then 'gave up after ' || (attempts + 1) || ' attempts' end,
                       next_attempt_at = now() + make_interval(secs => :backoffSeconds),
                       counted_on = coalesce(counted_on, :countedOn)
                 where id = :id
                """)
                .param("id", id)
                .param("error", storable(error))
                .param("status", status.name())
                .param("failed", status == DeliveryStatus.FAILED)
                .param("backoffSeconds", (double) backoff.toMillis() / 1000)
                .param("countedOn", countedOn)
                .update();
        return status;
    }

    /** A permanent rejection (SMTP 5xx): FAILED at once, no retries. */
    void markRejected(long id, String error, String reason, LocalDate countedOn) {
        jdbc.sql("""
                update delivery set attempts = attempts + 1, last_error = :error, status = 'FAILED', status_reason = :reason,
                       counted_on = coalesce(counted_on, :countedOn)
                 where id = :id
                """)
                .param("id", id)
                .param("error", storable(error))
                .param("reason", reason)
                .param("countedOn", countedOn)
                .update();
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
                update delivery set status = 'PENDING', status_reason = null, attempts = 0, next_attempt_at = now()
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
                DeliveryStatus.valueOf(rs.getString("status")), rs.getString("status_reason"), rs.getInt("attempts"),
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
