package org.replyensemble.notifications.threads;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.replyensemble.notifications.preferences.ThreadMode;
import org.replyensemble.notifications.threads.RecipientRules.Candidate;
import org.replyensemble.notifications.threads.RecipientRules.Recipient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes the deliveries of one comment, a page of participants at a time, so a thread of 100,000
 * participants never sits in memory: the participants are read in pages (keyset on the address,
 * from {@code thread_participant}, one row per address, so a comment's cost does not grow with the
 * number of earlier comments) and each page's deliveries go in as one JDBC batch. Sending is a
 * separate stage, any instance.
 */
@Component
class FanOut {

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final int pageSize;
    private final MailGrace grace;
    private final MeterRegistry meters;
    private final FloodControlProperties floodControl;
    private final FloodControl rule;

    FanOut(JdbcClient jdbc, JdbcTemplate jdbcTemplate, @Value("${notifications.fan-out.page-size:1000}") int pageSize,
            MailGrace grace, MeterRegistry meters, FloodControlProperties floodControl) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.pageSize = pageSize;
        this.grace = grace;
        this.meters = meters;
        this.floodControl = floodControl;
        this.rule = floodControl.rule();
    }

    /**
     * @return the comment's author as a participant of the thread so far (read on the way, with
     *         their address's state), or null when this is their first comment in it
     */
    Candidate fanOut(ThreadRow thread, CommentRow comment) {
        RecipientRules.Reply reply = new RecipientRules.Reply(
                comment.authorEmail(), comment.parentAuthorEmail(), thread.authorEmail());
        Candidate author = null;
        String after = "";
        List<Candidate> page;
        do {
            Map<String, FloodControl.Window> windows = new HashMap<>();
            page = participants(thread.postId(), comment.position(), after, windows);
            if (page.isEmpty()) {
                break;
            }
            record(comment, RecipientRules.recipients(reply, page), windows);
            for (Candidate candidate : page) {
                if (candidate.email().equals(reply.authorEmail())) {
                    author = candidate;
                }
            }
            after = page.get(page.size() - 1).email();
        } while (page.size() == pageSize);
        return author;
    }

    /**
     * The thread's participants before {@code position} in address order, with their owners' state.
     * The thread stage keeps {@code thread_participant} in position order, so while comment p is
     * fanned out in turn it holds the post's author and the authors of comments 1..p-1, exactly; a
     * comment that arrives after its position was skipped (a gap) sees those whose first comment
     * came before it.
     */
    private List<Candidate> participants(UUID postId, int position, String after, Map<String, FloodControl.Window> windows) {
        return jdbc.sql("""
                select p.email, coalesce(a.greeting_name, 'A reader') as name, p.subscribed, p.latest_position,
                       p.window_opened_at, p.window_updates,
                       a.confirmed_at is not null as confirmed, coalesce(a.mail_enabled, true) as mail_enabled,
                       (a.suppression_reason is not null or m.suppression_reason is not null) as suppressed,
                       coalesce(tp.mode, 'EVERY_REPLY') as mode
                  from thread_participant p
                  left join address a on a.email = p.email
                  left join mailbox m on m.mailbox = a.mailbox
                  left join thread_preference tp on tp.email = p.email and tp.post_id = p.post_id
                 where p.post_id = :postId and p.email > :after and p.first_position < :position
                 order by p.email
                 limit :pageSize
                """)
                .param("postId", postId)
                .param("after", after)
                .param("position", position)
                .param("pageSize", pageSize)
                .query((rs, row) -> {
                    Timestamp windowOpenedAt = rs.getTimestamp("window_opened_at");
                    if (windowOpenedAt != null) {
                        windows.put(rs.getString("email"), new FloodControl.Window(windowOpenedAt.toInstant(), rs.getInt("window_updates")));
                    }
                    return new Candidate(rs.getString("email"), rs.getString("name"), rs.getBoolean("subscribed"),
                            rs.getInt("latest_position"), rs.getBoolean("confirmed"), rs.getBoolean("mail_enabled"),
                            rs.getBoolean("suppressed"), ThreadMode.valueOf(rs.getString("mode")));
                })
                .list();
    }

    /**
     * Conflicts are expected on a replay: the unique (comment, recipient) key keeps one row. A
     * comment deleted or hidden before its turn came still gets its rows, CANCELLED, so the delivery
     * log says who would have been mailed and why nobody was (it counts in nobody's flood-control
     * window). With flood control on, a recipient's thread updates past the window's limit are
     * written FOLDED, naming the window's summary (see {@link #fold}); direct replies are always
     * written to go now. A pending row is due once the grace delay after the comment's time has
     * passed (at once when that is past already).
     */
    private void record(CommentRow comment, List<Recipient> recipients, Map<String, FloodControl.Window> windows) {
        if (recipients.isEmpty()) {
            return;
        }
        Set<String> confirmedMeanwhile = confirmedMeanwhile(recipients);
        Instant written = comment.createdAt().toInstant();
        Map<String, Long> foldedInto = floodControl.enabled() && !comment.deleted()
                ? fold(comment, recipients, windows, confirmedMeanwhile) : Map.of();
        int[] inserted = jdbcTemplate.batchUpdate("""
                insert into delivery (comment_id, post_id, recipient_email, recipient_name, reason, status, status_reason,
                                      summary_id, next_attempt_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, greatest(now(), ?))
                on conflict (comment_id, recipient_email) do nothing
                """,
                recipients.stream()
                        .map(r -> {
                            Long summary = foldedInto.get(r.email());
                            if (summary != null) {
                                return new Object[] {comment.commentId(), comment.postId(), r.email(), r.name(), r.reason().name(),
                                        "FOLDED", "carried by summary " + summary, summary, Timestamp.from(written)};
                            }
                            boolean held = r.held() && !confirmedMeanwhile.contains(r.email());
                            String status = comment.deleted() ? "CANCELLED" : held ? "HELD" : "PENDING";
                            String reason = comment.deleted() ? comment.withdrawn() : held ? "address not confirmed yet" : null;
                            return new Object[] {comment.commentId(), comment.postId(), r.email(), r.name(), r.reason().name(),
                                    status, reason, null, Timestamp.from(written.plus(grace.forReason(r.reason())))};
                        })
                        .toList());
        if (comment.deleted()) {
            Threads.cancelledCounter(meters, comment.withdrawn()).increment(Arrays.stream(inserted).filter(count -> count != 0).count());
        }
    }

    /**
     * Counts the comment as a thread update for each recipient it is not a direct reply to, in their
     * window of this thread, and for those past the window's limit makes sure the window's summary
     * row exists (one per recipient, thread and window: a unique key) and locks it. A summary a sender
     * has claimed or sent can carry nothing more: that update is mailed at once and opens the next
     * window. Returns the summary each folded recipient's delivery names.
     */
    private Map<String, Long> fold(CommentRow comment, List<Recipient> recipients, Map<String, FloodControl.Window> windows,
            Set<String> confirmedMeanwhile) {
        List<Recipient> updates = recipients.stream().filter(r -> r.reason() != Reason.DIRECT_REPLY).toList();
        if (updates.isEmpty()) {
            return Map.of();
        }
        Instant at = comment.createdAt().toInstant();
        Map<String, Long> foldedInto = new HashMap<>();
        List<Object[]> windowRows = new ArrayList<>(updates.size());
        for (Recipient recipient : updates) {
            FloodControl.Decision decision = rule.decide(windows.get(recipient.email()), at);
            if (decision instanceof FloodControl.Fold folded) {
                boolean held = recipient.held() && !confirmedMeanwhile.contains(recipient.email());
                Long summary = openSummary(comment.postId(), recipient, folded, held);
                if (summary != null) {
                    foldedInto.put(recipient.email(), summary);
                } else {
                    decision = rule.summaryGone(at);
                }
            }
            FloodControl.Window window = decision.window();
            windowRows.add(new Object[] {OffsetDateTime.ofInstant(window.openedAt(), ZoneOffset.UTC), window.updates(),
                    comment.postId(), recipient.email()});
        }
        // Every recipient is a participant (they were read from thread_participant): its row keeps the window.
        jdbcTemplate.batchUpdate("""
                update thread_participant set window_opened_at = ?, window_updates = ? where post_id = ? and email = ?
                """, windowRows);
        return foldedInto;
    }

    /**
     * The window's summary, created if needed (PENDING until the window closes, or HELD for an
     * unconfirmed address like any delivery), locked against the senders' claims until this
     * transaction commits; null when it can take no more (a sender claimed it, or it ended).
     */
    private Long openSummary(UUID postId, Recipient recipient, FloodControl.Fold folded, boolean held) {
        OffsetDateTime window = OffsetDateTime.ofInstant(folded.window().openedAt(), ZoneOffset.UTC);
        jdbc.sql("""
                insert into delivery (comment_id, post_id, recipient_email, recipient_name, reason, status, status_reason,
                                      next_attempt_at, summary_window)
                values (null, :postId, :email, :name, 'SUMMARY', :status, :statusReason, :closesAt, :window)
                on conflict (recipient_email, post_id, summary_window) where reason = 'SUMMARY' do nothing
                """)
                .param("postId", postId)
                .param("email", recipient.email())
                .param("name", recipient.name())
                .param("status", held ? "HELD" : "PENDING")
                .param("statusReason", held ? "address not confirmed yet" : null)
                .param("closesAt", OffsetDateTime.ofInstant(folded.closesAt(), ZoneOffset.UTC))
                .param("window", window)
                .update();
        return jdbc.sql("""
                select id from delivery
                 where recipient_email = :email and post_id = :postId and summary_window = :window and reason = 'SUMMARY'
                   and status in ('PENDING', 'HELD') and claim_token is null
                   for update
                """)
                .param("email", recipient.email())
                .param("postId", postId)
                .param("window", window)
                .query(Long.class)
                .optional()
                .orElse(null);
    }

    /**
     * Locks the address rows of the recipients about to be held ({@code FOR SHARE}) and reads them
     * again: a confirmation that committed since the page was read turns them into PENDING rows, and
     * one still running waits for this transaction, then releases what it wrote (see
     * {@code Confirmations} on the race).
     */
    private Set<String> confirmedMeanwhile(List<Recipient> recipients) {
        Object[] held = recipients.stream().filter(Recipient::held).map(Recipient::email).toArray();
        if (held.length == 0) {
            return Set.of();
        }
        return new HashSet<>(jdbcTemplate.query(connection -> {
            PreparedStatement statement = connection.prepareStatement("""
                    select email, confirmed_at is not null as confirmed from address
                     where email = any (?) order by email for share
                    """);
            statement.setArray(1, connection.createArrayOf("text", held));
            return statement;
        }, (rs, row) -> rs.getBoolean("confirmed") ? rs.getString("email") : null)).stream()
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
    }
}
