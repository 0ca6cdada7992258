package org.replyensemble.notifications.delivery;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.replyensemble.notifications.addresses.Addresses;
import org.replyensemble.notifications.email.ConfirmationEmail;
import org.replyensemble.notifications.email.ReplyEmail;
import org.replyensemble.notifications.email.SummaryEmail;
import org.replyensemble.notifications.preferences.ThreadMode;
import org.replyensemble.notifications.threads.CarriedComments;
import org.replyensemble.notifications.threads.FloodControlProperties;
import org.replyensemble.notifications.threads.Reason;
import org.replyensemble.notifications.threads.ThreadLocks;
import org.replyensemble.notifications.threads.Threads;
import org.replyensemble.support.sql.InLists;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.PessimisticLockingFailureException;
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
    private static final String SUMMARY = "SUMMARY";

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final TransactionTemplate transactions;
    private final Duration summaryLockWait;
    /** One sender thread of this instance at a time waits for threads' locks; the others go on with direct replies. */
    private final AtomicBoolean claimingSummaries = new AtomicBoolean();

    private final int listedPerSummary;

    Deliveries(JdbcClient jdbc, JdbcTemplate jdbcTemplate, TransactionTemplate transactions,
            @Value("${notifications.delivery.summary-lock-wait:1s}") Duration summaryLockWait,
            FloodControlProperties floodControl) {
        this.listedPerSummary = floodControl.listedPerSummary();
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.transactions = transactions;
        this.summaryLockWait = summaryLockWait;
    }

    /**
     * Claims due deliveries for this sender under its token: SKIP LOCKED lets several instances
     * claim at once without waiting on each other, and pushing next_attempt_at by the lease hides the
     * batch from them after this statement commits, without holding a transaction open during SMTP.
     * Every later update of these rows names the token, so once the lease has run out and another
     * sender has claimed a row, this one changes nothing about it.
     *
     * <p>Direct replies first (the mail people wait for must not queue behind a hot thread's updates
     * and summaries), then, only when there were none (a summary's claim may wait for its thread's
     * lock), summaries, then the rest to fill the batch; each claim in due order along its own
     * partial index, so none sorts the due rows of a backlog.
     */
    List<Long> claimDue(int batchSize, Duration lease, UUID token) {
        List<Long> claimed = new ArrayList<>(claim(true, batchSize, lease, token));
        if (claimed.isEmpty() && claimingSummaries.compareAndSet(false, true)) {
            try {
                claimed.addAll(claimSummaries(batchSize, lease, token));
            } finally {
                claimingSummaries.set(false);
            }
        }
        if (claimed.size() < batchSize) {
            claimed.addAll(claim(false, batchSize - claimed.size(), lease, token));
        }
        return claimed;
    }

    /** The direct-reply lane's claim: due direct replies only. */
    List<Long> claimDirectReplies(int batchSize, Duration lease, UUID token) {
        return claim(true, batchSize, lease, token);
    }

    /**
     * Direct replies, or the rest but summaries: a database function (V12) so that its statement keeps
     * one plan on a connection through backlogs and analyses, without forcing that on the others.
     */
    private List<Long> claim(boolean directReplies, int limit, Duration lease, UUID token) {
        return jdbc.sql("select claim_due_deliveries(:directReplies, :limit, :leaseSeconds, :token)")
                .param("directReplies", directReplies)
                .param("leaseSeconds", seconds(lease))
                .param("limit", limit)
                .param("token", token)
                .query(Long.class)
                .list();
    }

    /**
     * Claims due summaries, and fixes what each carries at the first claim: the comments of its
     * window recorded so far ({@code summary_through_position} = the thread's fanned-out position).
     * Under the lock the thread stage holds while it fans out a thread's comments (the thread's
     * fan-out lock, {@link ThreadLocks}, taken in post order like an erasure takes them, so two lockers never wait on
     * each other in a circle), and before any row lock: the thread stage, which reads each summary's
     * state under the same lock, folds a comment into a summary only before its claim, and mails it
     * at once after. A summary claimed before keeps its range (a retry sends the same updates).
     *
     * <p>The thread stage may hold a hot thread's lock for a whole poll's comments: the claim waits
     * at most {@code notifications.delivery.summary-lock-wait} (default 1s) for it, then leaves the
     * summaries for the next round (a waiter is queued before the thread stage's next transaction, so
     * it gets the lock when the current one commits, unless that takes longer).
     */
    private List<Long> claimSummaries(int limit, Duration lease, UUID token) {
        try {
            return claimSummariesWaiting(limit, lease, token);
        } catch (PessimisticLockingFailureException e) {
            return List.of();
        }
    }

    private List<Long> claimSummariesWaiting(int limit, Duration lease, UUID token) {
        // Looked at outside a transaction first: nearly every round finds no summary due, and then
        // costs one statement instead of a transaction's two round trips.
        if (postsWithSummariesDue(limit).isEmpty()) {
            return List.of();
        }
        return transactions.execute(status -> {
            List<UUID> posts = postsWithSummariesDue(limit);
            if (posts.isEmpty()) {
                return List.<Long>of();
            }
            jdbc.sql("select set_config('lock_timeout', :wait, true)")
                    .param("wait", summaryLockWait.toMillis() + "ms").query().singleValue();
            for (UUID postId : posts) {
                ThreadLocks.fanOut(jdbc, postId);
            }
            return jdbc.sql("""
                    update delivery s set next_attempt_at = now() + make_interval(secs => :leaseSeconds), claim_token = :token,
                           summary_through_position = coalesce(s.summary_through_position, t.fanned_out_position)
                      from thread t
                     where t.post_id = s.post_id
                       and s.id in (select id from delivery
                                     where status = 'PENDING' and reason = 'SUMMARY' and next_attempt_at <= now()
                                       and post_id in (:posts)
                                     order by next_attempt_at, id
                                     limit :limit
                                     for update skip locked)
                    returning s.id
                    """)
                    .param("leaseSeconds", seconds(lease))
                    .param("limit", limit)
                    .param("token", token)
                    .param("posts", InLists.padded(posts))
                    .query(Long.class)
                    .list();
        });
    }

    /** The threads of the first {@code limit} due summaries, in post order (the order their locks are taken in). */
    private List<UUID> postsWithSummariesDue(int limit) {
        return jdbc.sql("""
                select distinct post_id from (
                    select post_id from delivery
                     where status = 'PENDING' and reason = 'SUMMARY' and next_attempt_at <= now()
                     order by next_attempt_at, id limit :limit) due
                 order by post_id
                """)
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    /** Extends the lease of the claims still in flight; rows that are no longer theirs are not touched. */
    int renew(Collection<UUID> tokens, Duration lease) {
        if (tokens.isEmpty()) {
            return 0;
        }
        return jdbcTemplate.update(connection -> {
            PreparedStatement statement = connection.prepareStatement("""
                    update delivery set next_attempt_at = now() + make_interval(secs => ?)
                     where claim_token = any (?) and status = 'PENDING'
                    """);
            statement.setDouble(1, seconds(lease));
            statement.setArray(2, connection.createArrayOf("uuid", tokens.toArray()));
            return statement;
        });
    }

    /** Gives back what a claim did not get to (a batch cut short): due again at once, for any sender. */
    int release(UUID token) {
        return jdbc.sql("update delivery set next_attempt_at = now(), claim_token = null where claim_token = :token and status = 'PENDING'")
                .param("token", token)
                .update();
    }

    /**
     * Cancels the claimed reply deliveries whose comment was deleted or hidden after their fan-out
     * (the thread stage cancels the unclaimed ones itself), and the claimed summaries none of whose
     * comments stands any more; returns their ids with the reason. Called only for the rows that
     * {@link #load} found withdrawn, and it checks them again: a hidden comment may have been shown
     * again since, and then its email goes out.
     */
    private List<Map.Entry<Long, String>> cancelWithdrawn(List<Long> ids, UUID token) {
        // One statement for both kinds (their rows are apart: a summary has no comment of its own).
        return jdbc.sql("""
                with replies as (
                    update delivery d set status = 'CANCELLED', status_reason = %s
                      from thread_comment c
                     where d.id in (:ids) and d.claim_token = :token and d.status = 'PENDING' and d.reason <> 'CONFIRMATION'
                       and c.comment_id = d.comment_id and (c.deleted_at is not null or c.hidden_at is not null)
                    returning d.id, d.status_reason),
                summaries as (
                    update delivery s set status = 'CANCELLED', status_reason = :reason
                     where s.id in (:ids) and s.claim_token = :token and s.status = 'PENDING' and s.reason = 'SUMMARY'
                       and not exists (select 1 from %s %s)
                    returning s.id, s.status_reason)
                select id, status_reason from replies
                union all
                select id, status_reason from summaries
                """.formatted(Threads.WITHDRAWN_SQL, CarriedComments.OF_SUMMARY, CarriedComments.STANDING))
                .param("ids", InLists.padded(ids))
                .param("token", token)
                .param("reason", "every comment it carried was deleted or hidden")
                .query((rs, row) -> Map.entry(rs.getLong("id"), rs.getString("status_reason")))
                .list();
    }

    /**
     * The claimed deliveries whose words still stand, with their emails' content and their
     * recipients' state as it is now; those whose comment was deleted or hidden since their fan-out
     * (checked at the last moment before composing, a summary with nothing left to carry included)
     * are CANCELLED instead and returned apart with the reason.
     */
    Batch load(List<Long> ids, UUID token) {
        // Read with the load, not checked by an update of its own before it: nearly every batch has
        // nothing withdrawn, and then this is one statement per batch instead of two.
        record Row(OutgoingEmail email, boolean commentWithdrawn) {
        }
        List<Row> rows = jdbc.sql("""
                select d.id, d.comment_id, d.post_id, d.recipient_email, d.recipient_name, d.reason, d.attempts, d.counted_on,
                       d.summary_window, (c.deleted_at is not null or c.hidden_at is not null) as comment_withdrawn,
                       t.slug, t.title, c.author_name as commenter_name, c.excerpt,
                       a.greeting_name, a.confirmed_at is not null as confirmed, coalesce(a.mail_enabled, true) as mail_enabled,
                       a.suppression_reason as address_suppression, m.suppression_reason as mailbox_suppression,
                       coalesce(a.hard_bounces, 0) as hard_bounces, coalesce(p.mode, 'EVERY_REPLY') as mode
                  from delivery d
                  join thread t on t.post_id = d.post_id
                  left join thread_comment c on c.comment_id = d.comment_id
                  left join address a on a.email = d.recipient_email
                  left join mailbox m on m.mailbox = a.mailbox
                  left join thread_preference p on p.email = d.recipient_email and p.post_id = d.post_id
                 where d.id in (:ids)
                 order by d.reason = 'DIRECT_REPLY' desc, d.id
                """)
                .param("ids", InLists.padded(ids))
                .query((rs, row) -> new Row(outgoing(rs), rs.getBoolean("comment_withdrawn")))
                .list()
                .stream()
                .map(row -> new Row(withCarriedUpdates(row.email()), row.commentWithdrawn()))
                .toList();
        List<Long> withdrawn = rows.stream()
                .filter(row -> row.email().isSummary() ? row.email().summary().updates().isEmpty()
                        : row.commentWithdrawn() && !row.email().isConfirmation())
                .map(row -> row.email().deliveryId())
                .toList();
        if (withdrawn.isEmpty()) {
            return new Batch(rows.stream().map(Row::email).toList(), List.of());
        }
        List<Map.Entry<Long, String>> cancelled = cancelWithdrawn(withdrawn, token);
        List<Long> cancelledIds = cancelled.stream().map(Map.Entry::getKey).toList();
        List<OutgoingEmail> standing = rows.stream().map(Row::email)
                .filter(email -> !cancelledIds.contains(email.deliveryId()))
                // A summary read with nothing to carry and not cancelled: a comment it carries was shown again since.
                .map(email -> withdrawn.contains(email.deliveryId()) && email.isSummary() ? withCarriedUpdates(email) : email)
                // Withdrawn again meanwhile: left to its lease and checked again at its next claim.
                .filter(email -> !email.isSummary() || !email.summary().updates().isEmpty())
                .toList();
        return new Batch(standing, cancelled);
    }

    /**
     * A claimed batch as loaded: the emails to send, and the deliveries cancelled because their words
     * were withdrawn (id and reason).
     */
    record Batch(List<OutgoingEmail> emails, List<Map.Entry<Long, String>> cancelled) {
    }

    /**
     * A summary's updates: the comments it carries that still stand (see {@link CarriedComments}).
     * The email lists the latest {@code notifications.flood-control.listed-per-summary} of them, in
     * thread order, with the count of all and the first one's id: a viral thread's window folds
     * hundreds, and an email of hundreds of quotes is read by nobody (and composed, stored and sent
     * at that size for every participant).
     */
    private OutgoingEmail withCarriedUpdates(OutgoingEmail outgoing) {
        if (!outgoing.isSummary()) {
            return outgoing;
        }
        record Carried(SummaryEmail.Update update, int total, UUID first) {
        }
        List<Carried> latest = new ArrayList<>(jdbc.sql("""
                select c.comment_id, c.author_name, c.excerpt, count(*) over () as total,
                       first_value(c.comment_id) over (order by c.position) as first_id
                  from delivery s, %s %s and s.id = :id
                 order by c.position desc
                 limit :listed
                """.formatted(CarriedComments.OF_SUMMARY, CarriedComments.STANDING))
                .param("id", outgoing.deliveryId())
                .param("listed", listedPerSummary)
                .query((rs, row) -> new Carried(new SummaryEmail.Update(rs.getObject("comment_id", UUID.class),
                        rs.getString("author_name"), rs.getString("excerpt")), rs.getInt("total"), rs.getObject("first_id", UUID.class)))
                .list());
        Collections.reverse(latest);
        SummaryEmail summary = outgoing.summary();
        return new OutgoingEmail(outgoing.deliveryId(), outgoing.attempts(), outgoing.recipientEmail(), outgoing.countedOn(),
                outgoing.recipient(), null, null, new SummaryEmail(summary.postId(), summary.postSlug(), summary.postTitle(),
                        summary.recipientEmail(), summary.recipientName(), summary.windowOpenedAt(),
                        latest.stream().map(Carried::update).toList(), latest.isEmpty() ? 0 : latest.get(0).total(),
                        latest.isEmpty() ? null : latest.get(0).first(), summary.mode()));
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
        if (SUMMARY.equals(rs.getString("reason"))) {
            return new OutgoingEmail(rs.getLong("id"), rs.getInt("attempts"), email,
                    countedOn == null ? null : countedOn.toLocalDate(), recipient, null, null,
                    new SummaryEmail(postId, rs.getString("slug"), rs.getString("title"), email,
                            greeting != null ? greeting : rs.getString("recipient_name"),
                            rs.getTimestamp("summary_window").toInstant(), List.of(), ThreadMode.valueOf(rs.getString("mode"))));
        }
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
     * Marks one message SENT right after the SMTP server accepted it: one short autocommit
     * statement, so a crash repeats at most the one message between acceptance and this mark (per
     * sender thread), not the rest of a batch. Returns false when the claim is no longer this
     * sender's (nothing changed).
     */
    boolean markSent(long id, UUID token, LocalDate day) {
        return jdbcTemplate.update("""
                update delivery set status = 'SENT', sent_at = now(), attempts = attempts + 1, last_error = null,
                       counted_on = case when reason = 'CONFIRMATION' then null else coalesce(counted_on, ?) end
                 where id = ? and claim_token = ? and status = 'PENDING'
                """, day, id, token) == 1;
    }

    /** Ends claimed deliveries that will not be sent (SUPPRESSED, SKIPPED), with the reason. */
    void markUnsent(List<Long> ids, UUID token, DeliveryStatus status, String reason) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("""
                update delivery set status = :status, status_reason = :reason
                 where id in (:ids) and claim_token = :token and status = 'PENDING'
                """)
                .param("ids", InLists.padded(ids))
                .param("token", token)
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
    void hold(long id, UUID token, String email, String reason) {
        transactions.executeWithoutResult(status -> {
            boolean confirmed = jdbc.sql("select confirmed_at is not null from address where email = :email for share")
                    .param("email", email).query(Boolean.class).optional().orElse(false);
            jdbc.sql(confirmed ? """
                            update delivery set next_attempt_at = now(), claim_token = null
                             where id = :id and claim_token = :token and status = 'PENDING'"""
                            : """
                            update delivery set status = 'HELD', status_reason = :reason, claim_token = null
                             where id = :id and claim_token = :token and status = 'PENDING'""")
                    .param("id", id)
                    .param("token", token)
                    .param("reason", reason)
                    .update();
        });
    }

    /**
     * Counts the failed attempt and gives the claim back; returns the new status (PENDING again, or
     * FAILED for good once the attempts or the time since the first failure are spent), or empty
     * when the claim was no longer this sender's (nothing changed).
     *
     * @param maxAttempts 0 for no limit on the count (the max age alone ends the retries)
     * @param maxAge      no attempt is made later than this after the first failed one
     */
    Optional<DeliveryStatus> markAttemptFailed(long id, UUID token, String error, Duration backoff, int maxAttempts,
            Duration maxAge, LocalDate countedOn) {
        return jdbc.sql("""
                with attempt as (
                    select id, attempts + 1 as attempts, coalesce(first_failed_at, now()) as first_failed_at,
                           (:maxAttempts > 0 and attempts + 1 >= :maxAttempts)
                           or coalesce(first_failed_at, now()) + make_interval(secs => :maxAgeSeconds)
                              < now() + make_interval(secs => :backoffSeconds) as gives_up
                      from delivery
                     where id = :id and claim_token = :token and status = 'PENDING'
                       for update)
                update delivery d
                   set attempts = a.attempts, last_error = :error, claim_token = null, first_failed_at = a.first_failed_at,
                       status = case when a.gives_up then 'FAILED' else 'PENDING' end,
                       status_reason = case when a.gives_up then 'gave up after ' || a.attempts || ' attempts in '
                                            || justify_interval(date_trunc('second', now() - a.first_failed_at)) end,
                       next_attempt_at = now() + make_interval(secs => :backoffSeconds),
                       counted_on = coalesce(d.counted_on, :countedOn)
                  from attempt a
                 where d.id = a.id
                returning d.status
                """)
                .param("id", id)
                .param("token", token)
                .param("error", storable(error))
                .param("maxAttempts", maxAttempts)
                .param("maxAgeSeconds", seconds(maxAge))
                .param("backoffSeconds", seconds(backoff))
                .param("countedOn", countedOn)
                .query(String.class)
                .optional()
                .map(DeliveryStatus::valueOf);
    }

    /** A permanent rejection (SMTP 5xx): FAILED at once, no retries. Returns false when the claim was lost. */
    boolean markRejected(long id, UUID token, String error, String reason, LocalDate countedOn) {
        return jdbc.sql("""
                update delivery set attempts = attempts + 1, last_error = :error, status = 'FAILED', status_reason = :reason,
                       rejected = true, claim_token = null, counted_on = coalesce(counted_on, :countedOn)
                 where id = :id and claim_token = :token and status = 'PENDING'
                """)
                .param("id", id)
                .param("token", token)
                .param("error", storable(error))
                .param("reason", reason)
                .param("countedOn", countedOn)
                .update() == 1;
    }

    /** The pending gauge's count, answered along the partial index of the pending rows' claims. */
    static final String COUNT_PENDING = "select count(*) from delivery where status = 'PENDING'";

    long countPending() {
        return jdbc.sql(COUNT_PENDING).query(Long.class).single();
    }

    List<DeliveryView> find(UUID commentId, DeliveryStatus status, int page, int size) {
        return find(commentId, status, null, page, size);
    }

    List<DeliveryView> find(UUID commentId, DeliveryStatus status, Long summaryId, int page, int size) {
        if (summaryId != null) {
            return carriedBy(summaryId, commentId, status, page, size);
        }
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

    /**
     * What a summary carried, as the log showed it when each folded comment had a row of its own:
     * one FOLDED entry per comment (CANCELLED with the reason once the comment was withdrawn), in
     * thread order. Derived from the thread ({@link CarriedComments}), so the entries have no id of
     * their own: {@code id} and {@code summaryId} are the summary's.
     */
    private List<DeliveryView> carriedBy(long summaryId, UUID commentId, DeliveryStatus status, int page, int size) {
        return jdbc.sql("""
                select * from (
                    select s.id, c.comment_id, s.post_id, s.recipient_email,
                           case when t.author_email = s.recipient_email then 'POST_AUTHOR' else 'PARTICIPANT' end as reason,
                           coalesce(%s, 'carried by summary ' || s.id) as status_reason,
                           case when c.deleted_at is null and c.hidden_at is null then 'FOLDED' else 'CANCELLED' end as status,
                           c.created_at, c.position
                      from delivery s, %s and s.id = :summaryId and s.reason = 'SUMMARY') carried
                 where (cast(:commentId as uuid) is null or comment_id = :commentId)
                   and (cast(:status as text) is null or status = :status)
                 order by position
                 limit :size offset :offset
                """.formatted(Threads.WITHDRAWN_SQL, CarriedComments.OF_SUMMARY))
                .param("summaryId", summaryId)
                .param("commentId", commentId)
                .param("status", status == null ? null : status.name())
                .param("size", size)
                .param("offset", (long) page * size)
                .query((rs, row) -> new DeliveryView(rs.getLong("id"), rs.getObject("comment_id", UUID.class),
                        rs.getObject("post_id", UUID.class), Addresses.mask(rs.getString("recipient_email")), rs.getString("reason"),
                        DeliveryStatus.valueOf(rs.getString("status")), rs.getString("status_reason"), 0, null,
                        instant(rs.getTimestamp("created_at")), null, rs.getLong("id"), null))
                .list();
    }

    Optional<DeliveryView> findById(long id) {
        return jdbc.sql("select * from delivery where id = :id").param("id", id).query((rs, row) -> view(rs)).optional();
    }

    /** Puts a FAILED delivery back in line with a fresh set of attempts; empty if it was not FAILED. */
    Optional<DeliveryView> retry(long id) {
        return jdbc.sql("""
                update delivery set status = 'PENDING', status_reason = null, attempts = 0, next_attempt_at = now(),
                       first_failed_at = null, rejected = false, claim_token = null
                 where id = :id and status = 'FAILED'
                returning *
                """)
                .param("id", id)
                .query((rs, row) -> view(rs))
                .optional();
    }

    /**
     * Puts up to {@code limit} FAILED deliveries matching the filter back in line (oldest first),
     * each with a fresh set of attempts; returns how many. Deliveries the recipient's server
     * rejected for good (5xx) only when {@code includeRejected}: they would bounce again.
     */
    int retryFailed(RetryFilter filter, int limit) {
        return jdbc.sql("""
                update delivery set status = 'PENDING', status_reason = null, attempts = 0, next_attempt_at = now(),
                       first_failed_at = null, rejected = false, claim_token = null
                 where id in (select id from delivery
                               where status = 'FAILED'
                                 and (cast(:postId as uuid) is null or post_id = :postId)
                                 and (cast(:commentId as uuid) is null or comment_id = :commentId)
                                 and (cast(:createdFrom as timestamptz) is null or created_at >= :createdFrom)
                                 and (cast(:createdBefore as timestamptz) is null or created_at < :createdBefore)
                                 and (:includeRejected or not rejected)
                               order by id
                               limit :limit
                                 for update skip locked)
                   and status = 'FAILED'
                """)
                .param("postId", filter.postId())
                .param("commentId", filter.commentId())
                .param("createdFrom", filter.createdFrom() == null ? null : OffsetDateTime.ofInstant(filter.createdFrom(), ZoneOffset.UTC))
                .param("createdBefore", filter.createdBefore() == null ? null
                        : OffsetDateTime.ofInstant(filter.createdBefore(), ZoneOffset.UTC))
                .param("includeRejected", filter.includeRejected())
                .param("limit", limit)
                .update();
    }

    /** Which FAILED deliveries an operator's bulk retry puts back in line; null means any. */
    record RetryFilter(UUID postId, UUID commentId, Instant createdFrom, Instant createdBefore, boolean includeRejected) {
    }

    private static double seconds(Duration duration) {
        return (double) duration.toMillis() / 1000;
    }

    private static DeliveryView view(ResultSet rs) throws SQLException {
        return new DeliveryView(rs.getLong("id"), rs.getObject("comment_id", UUID.class), rs.getObject("post_id", UUID.class),
                Addresses.mask(rs.getString("recipient_email")), rs.getString("reason"),
                DeliveryStatus.valueOf(rs.getString("status")), rs.getString("status_reason"), rs.getInt("attempts"),
                Addresses.maskWithin(rs.getString("last_error")), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("sent_at")), null, instant(rs.getTimestamp("summary_window")));
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
