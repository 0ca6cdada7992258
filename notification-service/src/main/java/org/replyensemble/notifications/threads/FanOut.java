package org.replyensemble.notifications.threads;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
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

    FanOut(JdbcClient jdbc, JdbcTemplate jdbcTemplate, @Value("${notifications.fan-out.page-size:1000}") int pageSize,
            MailGrace grace, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.pageSize = pageSize;
        this.grace = grace;
        this.meters = meters;
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
            page = participants(thread.postId(), comment.position(), after);
            if (page.isEmpty()) {
                break;
            }
            record(comment, RecipientRules.recipients(reply, page));
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
    private List<Candidate> participants(UUID postId, int position, String after) {
        return jdbc.sql("""
                select p.email, coalesce(a.greeting_name, 'A reader') as name, p.subscribed, p.latest_position,
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
                .query((rs, row) -> new Candidate(rs.getString("email"), rs.getString("name"), rs.getBoolean("subscribed"),
                        rs.getInt("latest_position"), rs.getBoolean("confirmed"), rs.getBoolean("mail_enabled"),
                        rs.getBoolean("suppressed"), ThreadMode.valueOf(rs.getString("mode"))))
                .list();
    }

    /**
     * Conflicts are expected on a replay: the unique (comment, recipient) key keeps one row. A
     * comment deleted or hidden before its turn came still gets its rows, CANCELLED, so the delivery log says
     * who would have been mailed and why nobody was. A pending row is due once the grace delay after
     * the comment's time has passed (at once when that is past already).
     */
    private void record(CommentRow comment, List<Recipient> recipients) {
        if (recipients.isEmpty()) {
            return;
        }
        Set<String> confirmedMeanwhile = confirmedMeanwhile(recipients);
        Instant written = comment.createdAt().toInstant();
        int[] inserted = jdbcTemplate.batchUpdate("""
                insert into delivery (comment_id, post_id, recipient_email, recipient_name, reason, status, status_reason,
                                      next_attempt_at)
                values (?, ?, ?, ?, ?, ?, ?, greatest(now(), ?))
                on conflict (comment_id, recipient_email) do nothing
                """,
                recipients.stream()
                        .map(r -> {
                            boolean held = r.held() && !confirmedMeanwhile.contains(r.email());
                            String status = comment.deleted() ? "CANCELLED" : held ? "HELD" : "PENDING";
                            String reason = comment.deleted() ? comment.withdrawn() : held ? "address not confirmed yet" : null;
                            return new Object[] {comment.commentId(), comment.postId(), r.email(), r.name(), r.reason().name(),
                                    status, reason, Timestamp.from(written.plus(grace.forReason(r.reason())))};
                        })
                        .toList());
        if (comment.deleted()) {
            Threads.cancelledCounter(meters, comment.withdrawn()).increment(Arrays.stream(inserted).filter(count -> count != 0).count());
        }
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
