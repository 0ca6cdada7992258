package org.replyensemble.notifications.threads;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes the deliveries of one comment, a page of participants at a time, so a thread of 100,000
 * participants never sits in memory: the participants are read in pages (keyset on the address,
 * from {@code thread_participant}, one row per address, so a comment's cost does not grow with the
 * number of earlier comments) and each page's deliveries go in as one JDBC batch. Sending is a
 * separate stage, any instance.
 *
 * <p>With flood control on, a hot thread's steady state costs nothing per folded recipient: the
 * participants whose window this comment leaves as it is (open, past its limit, its summary not
 * claimed) are marked quiet until their window closes and not even read (see participants), nothing
 * is written for them, and their summary's comments are derived when it is sent
 * ({@link CarriedComments}). What a comment still writes: the deliveries mailed at once, window rows
 * that open or count up to the limit + 1 (and the quiet mark), the summaries it opens (one statement
 * per page), and the end of a summary whose recipient's next window it opens.
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
    private final ApplicationEventPublisher events;

    FanOut(JdbcClient jdbc, JdbcTemplate jdbcTemplate, @Value("${notifications.fan-out.page-size:1000}") int pageSize,
            MailGrace grace, MeterRegistry meters, FloodControlProperties floodControl, ApplicationEventPublisher events) {
        this.events = events;
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.pageSize = pageSize;
        this.grace = grace;
        this.meters = meters;
        this.floodControl = floodControl;
        this.rule = floodControl.rule();
    }

    /**
     * @param fold false for a comment fanned out late on its own (a filled gap): mailed at once, never
     *             folded, and it does not touch anyone's window (its place in the windows has passed)
     * @return the comment's author as a participant of the thread so far (read on the way, with
     *         their address's state), or null when this is their first comment in it
     */
    Candidate fanOut(ThreadRow thread, CommentRow comment, boolean fold) {
        RecipientRules.Reply reply = new RecipientRules.Reply(
                comment.authorEmail(), comment.parentAuthorEmail(), thread.authorEmail());
        Candidate author = null;
        String after = "";
        // Participants for whom this comment changes nothing are not read at all (see participants).
        boolean quietFolding = fold && floodControl.enabled() && !comment.deleted();
        List<Candidate> page;
        do {
            Map<String, Flood> floods = new HashMap<>();
            page = participants(thread.postId(), comment, quietFolding, null, after, floods);
            if (page.isEmpty()) {
                break;
            }
            record(comment, RecipientRules.recipients(reply, page), fold ? floods : null);
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
     * The delivery of {@code comment} to the author of the comment it answers, ahead of its turn:
     * the caller has made sure that author's state in the thread cannot change before the turn (see
     * {@code Threads#directRepliesAhead}), so the rules give the row that turn would write; the
     * turn then finds it (the unique (comment, recipient) key). A direct reply is never folded and
     * counts in no window, so nothing else about the recipient is touched. Returns the rows written
     * (0 if the rules mail nobody, or it was written before).
     */
    int directReplyAhead(ThreadRow thread, CommentRow comment) {
        RecipientRules.Reply reply = new RecipientRules.Reply(
                comment.authorEmail(), comment.parentAuthorEmail(), thread.authorEmail());
        List<Candidate> answered = participants(thread.postId(), comment, false, reply.parentAuthorEmail(), "", new HashMap<>());
        List<Recipient> recipients = RecipientRules.recipients(reply, answered).stream()
                .filter(recipient -> recipient.reason() == Reason.DIRECT_REPLY)
                .toList();
        return record(comment, recipients, null);
    }

    /**
     * A participant's flood-control state in the thread: their window, and its summary (read with the
     * participant, through the summary's unique key): open while no sender has claimed it; and until
     * when they are quiet (null when not known to be).
     */
    record Flood(FloodControl.Window window, Long summaryId, boolean summaryOpen, Instant quietUntil) {
    }

    /**
     * The thread's participants before {@code position} in address order, with their owners' state.
     * The thread stage keeps {@code thread_participant} in position order, so while comment p is
     * fanned out in turn it holds the post's author and the authors of comments 1..p-1, exactly; a
     * comment that arrives after its position was skipped (a gap) sees those whose first comment
     * came before it.
     *
     * <p>With {@code quietFolding}, the participants folded quietly (a hot thread's steady state: their
     * window's summary still takes updates until {@code quiet_until}, past this comment, and the comment
     * is neither theirs nor a reply to them) are not read: {@link FloodControl#decide} would give them a
     * Fold that writes nothing, and as a recipient or not they get no row. The page is the union of the
     * participants with no quiet time (one index), those whose quiet time has passed (another, by
     * time), and the comment's author and the one it answers, so on a thread of 10,000 participants
     * who all fold, a comment reads two rows, not 10,000.
     */
    private List<Candidate> participants(UUID postId, CommentRow comment, boolean quietFolding, String only, String after,
            Map<String, Flood> floods) {
        return jdbc.sql(participantsQuery(quietFolding, only != null))
                .param("postId", postId)
                .param("after", after)
                .param("position", comment.position())
                .param("at", OffsetDateTime.ofInstant(comment.createdAt().toInstant(), ZoneOffset.UTC))
                .param("author", comment.authorEmail())
                .param("parentAuthor", comment.parentAuthorEmail() == null ? "" : comment.parentAuthorEmail())
                .param("pageSize", pageSize)
                .param("only", only == null ? "" : only)
                .query((rs, row) -> {
                    Timestamp windowOpenedAt = rs.getTimestamp("window_opened_at");
                    if (windowOpenedAt != null) {
                        Timestamp quietUntil = rs.getTimestamp("quiet_until");
                        floods.put(rs.getString("email"), new Flood(
                                new FloodControl.Window(windowOpenedAt.toInstant(), rs.getInt("window_updates")),
                                rs.getObject("summary_id", Long.class), rs.getBoolean("summary_open"),
                                quietUntil == null ? null : quietUntil.toInstant()));
                    }
                    return new Candidate(rs.getString("email"), rs.getString("name"), rs.getBoolean("subscribed"),
                            rs.getInt("latest_position"), rs.getBoolean("confirmed"), rs.getBoolean("mail_enabled"),
                            rs.getBoolean("suppressed"), ThreadMode.valueOf(rs.getString("mode")));
                })
                .list();
    }

    /**
     * The query of {@link #participants}: named parameters postId, after, position, at, author,
     * parentAuthor, pageSize and only.
     */
    static String participantsQuery(boolean quietFolding, boolean only) {
        // With quiet folding, the pages go in byte order (the "C" collation), the order of
        // thread_participant_heard (V13) and of no other index: in the database's order, the primary
        // key served the branch of those with no quiet time too, and whenever the statistics said
        // nearly nobody was quiet the planner walked it over the whole thread, dropping every quiet
        // participant (27-277 ms a page on 10,000 participants at the start of a warm hot-thread
        // round; docs/benchmark.md, 2026-12-07 evening). Any total order serves a keyset, and one
        // comment's pages all use the same query. Without folding, the primary key's order is the one
        // wanted: every participant is read.
        String inOrder = quietFolding && !only ? " collate \"C\"" : "";
        String earlier = "p.post_id = :postId and p.email%s > :after and p.first_position < :position".formatted(inOrder);
        // Those whose quiet time has passed are found by that time (thread_participant_quiet), then
        // sorted: asked for in address order with a limit, the planner's generic plan walked the
        // thread's participants in address order testing each one's time, 10,000 rows for every
        // comment in which nobody's time had passed (2.5 ms on 10,000 participants, growing with the
        // thread). The materialized CTE is planned on its own, without the page's order to serve. Its
        // price: when the windows of a whole thread close together, each page of the next comment
        // reads again those past its cursor (on 10,000 participants, about 55,000 rows over its 10
        // pages), once per window; that comment's fan-out then takes them out of the quiet index.
        // The quiet author and parent author are looked up by key, each in a lateral subquery with
        // limit 1, and only then tested for quiet time: written as one filter, the planner read them
        // along thread_participant_quiet whenever its statistics were taken before the thread's
        // participants turned quiet (the start of every hot thread's load), and each comment then
        // read every participant of the thread to keep two (2.5 of its 2.7 ms on 10,000
        // participants; docs/benchmark.md, 2026-12-07 afternoon).
        String page = only
                ? "select * from thread_participant p where p.post_id = :postId and p.email = :only and p.first_position < :position"
                : quietFolding ? """
                with expired as materialized (select * from thread_participant p where %1$s and p.quiet_until <= :at)
                (select * from thread_participant p where %1$s and p.quiet_until is null order by p.email%2$s limit :pageSize)
                union all
                (select * from expired order by email%2$s limit :pageSize)
                union all
                (select p.* from (select distinct unnest(array[:author, :parentAuthor]) as email) wanted
                   cross join lateral (select * from thread_participant p
                                        where p.post_id = :postId and p.email = wanted.email limit 1) p
                  where p.email%2$s > :after and p.first_position < :position and p.quiet_until > :at)
                """.formatted(earlier, inOrder)
                : "select * from thread_participant p where %s order by p.email limit :pageSize".formatted(earlier);
        // The page is cut first (order and limit), then each of its participants is looked up by key:
        // what a page costs grows with the page, not with address, mailbox or the delivery log. Each
        // lookup is a lateral subquery with limit 1 (every key is unique, so the limit changes no
        // answer) because the planner cannot turn such a subquery into a join: estimating the page
        // at its limit, it otherwise hashed whole tables for pages that mostly hold a few rows.
        // As a plain join, on a second hot thread, the SUMMARY rows of delivery were read by a
        // sequential scan for every page (30-40 ms a comment, and the lane fell a whole load behind),
        // and address and mailbox were hashed whole (9 ms a page with 10,000 addresses); see
        // docs/benchmark.md, 2026-12-07.
        return """
                select p.email, coalesce(a.greeting_name, 'A reader') as name, p.subscribed, p.latest_position,
                       p.window_opened_at, p.window_updates, p.quiet_until, s.id as summary_id,
                       (s.status in ('PENDING', 'HELD') and s.summary_through_position is null) as summary_open,
                       a.confirmed_at is not null as confirmed, coalesce(a.mail_enabled, true) as mail_enabled,
                       (a.suppression_reason is not null or m.suppression_reason is not null) as suppressed,
                       coalesce(tp.mode, 'EVERY_REPLY') as mode
                  from (select * from (%1$s) u order by u.email%2$s limit :pageSize) p
                  left join lateral (select a.greeting_name, a.confirmed_at, a.mail_enabled, a.suppression_reason,
                                            a.mailbox
                                       from address a where a.email = p.email limit 1) a on true
                  left join lateral (select m.suppression_reason from mailbox m where m.mailbox = a.mailbox
                                      limit 1) m on true
                  left join lateral (select tp.mode from thread_preference tp
                                      where tp.email = p.email and tp.post_id = p.post_id limit 1) tp on true
                  left join lateral (select s.id, s.status, s.summary_through_position from delivery s
                                      where s.recipient_email = p.email and s.post_id = p.post_id
                                        and s.summary_window = p.window_opened_at and s.reason = 'SUMMARY'
                                      limit 1) s on true
                 order by p.email%2$s
                """.formatted(page, inOrder);
    }

    /**
     * Conflicts are expected on a replay: the unique (comment, recipient) key keeps one row. A
     * comment deleted or hidden before its turn came still gets its rows, CANCELLED, so the delivery
     * log says who would have been mailed and why nobody was (it counts in nobody's flood-control
     * window). With flood control on ({@code floods} not null), a recipient's thread updates past the
     * window's limit get no row at all: their window's summary carries them (see {@link #fold} and
     * {@link CarriedComments}); direct replies are always written to go now. A pending row is due
     * once the grace delay after the comment's time has passed (at once when that is past already).
     */
    private int record(CommentRow comment, List<Recipient> recipients, Map<String, Flood> floods) {
        if (recipients.isEmpty()) {
            return 0;
        }
        Set<String> confirmedMeanwhile = confirmedMeanwhile(recipients);
        Set<String> folded = floodControl.enabled() && floods != null && !comment.deleted()
                ? fold(comment, recipients, floods, confirmedMeanwhile) : Set.of();
        List<Recipient> written = new ArrayList<>(recipients.size());
        for (Recipient r : recipients) {
            if (!folded.contains(r.email())) {
                written.add(r);
            }
        }
        if (written.isEmpty()) {
            return 0;
        }
        int size = written.size();
        String[] emails = new String[size];
        String[] names = new String[size];
        String[] reasons = new String[size];
        String[] statuses = new String[size];
        String[] statusReasons = new String[size];
        Timestamp[] due = new Timestamp[size];
        Instant at = comment.createdAt().toInstant();
        Instant now = Instant.now();
        int dueNow = 0;
        boolean directRepliesDueNow = false;
        for (int i = 0; i < size; i++) {
            Recipient r = written.get(i);
            boolean held = r.held() && !confirmedMeanwhile.contains(r.email());
            emails[i] = r.email();
            names[i] = r.name();
            reasons[i] = r.reason().name();
            statuses[i] = comment.deleted() ? "CANCELLED" : held ? "HELD" : "PENDING";
            statusReasons[i] = comment.deleted() ? comment.withdrawn() : held ? "address not confirmed yet" : null;
            Instant dueAt = at.plus(grace.forReason(r.reason()));
            due[i] = Timestamp.from(dueAt);
            if (statuses[i].equals("PENDING") && !dueAt.isAfter(now)) {
                dueNow++;
                directRepliesDueNow |= r.reason() == Reason.DIRECT_REPLY;
            }
        }
        // One statement for the page (arrays, as openSummaries), not a JDBC batch of one INSERT per
        // recipient: a 100,000-recipient fan-out writes 100 pages before its first email can go.
        int inserted = jdbcTemplate.update(connection -> {
            PreparedStatement statement = connection.prepareStatement("""
                    insert into delivery (comment_id, post_id, recipient_email, recipient_name, reason, status, status_reason,
                                          next_attempt_at)
                    select ?, ?, r.email, r.name, r.reason, r.status, r.status_reason, greatest(now(), r.due)
                      from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
                           with ordinality as r(email, name, reason, status, status_reason, due, n)
                     order by r.n
                    on conflict (comment_id, recipient_email) do nothing
                    """);
            statement.setObject(1, comment.commentId());
            statement.setObject(2, comment.postId());
            statement.setArray(3, connection.createArrayOf("text", emails));
            statement.setArray(4, connection.createArrayOf("text", names));
            statement.setArray(5, connection.createArrayOf("text", reasons));
            statement.setArray(6, connection.createArrayOf("text", statuses));
            statement.setArray(7, connection.createArrayOf("text", statusReasons));
            statement.setArray(8, connection.createArrayOf("timestamptz", due));
            return statement;
        });
        if (comment.deleted()) {
            Threads.cancelledCounter(meters, comment.withdrawn()).increment(inserted);
        }
        if (inserted > 0 && dueNow > 0) {
            events.publishEvent(new DeliveriesRecorded(comment.postId(), Math.min(dueNow, inserted), directRepliesDueNow));
        }
        return inserted;
    }

    /**
     * Counts the comment as a thread update for each recipient it is not a direct reply to, in their
     * window of this thread, and returns those it folds into their window's summary (they get no
     * delivery row). In the steady state of a hot thread (window open, past its limit, summary not
     * claimed) nothing is written for a recipient: the window's count stops at limit + 1 and the
     * summary's comments are derived ({@link CarriedComments}). Written only when something changes,
     * each kind for the whole page in one statement: the summaries opened now (the window's first
     * folded update: where they start), the end of a summary whose recipient's next window opened,
     * and the window rows that changed. A summary a sender has claimed or sent can carry nothing
     * more: that update is mailed at once and opens the next window.
     */
    private Set<String> fold(CommentRow comment, List<Recipient> recipients, Map<String, Flood> floods,
            Set<String> confirmedMeanwhile) {
        List<Recipient> updates = recipients.stream().filter(r -> r.reason() != Reason.DIRECT_REPLY).toList();
        if (updates.isEmpty()) {
            return Set.of();
        }
        Instant at = comment.createdAt().toInstant();
        Set<String> folded = new HashSet<>();
        Map<Recipient, FloodControl.Fold> opening = new LinkedHashMap<>();
        Map<String, FloodControl.Decision> decided = new HashMap<>();
        List<Long> ended = new ArrayList<>();
        for (Recipient recipient : updates) {
            Flood flood = floods.get(recipient.email());
            FloodControl.Decision decision = flood == null ? rule.decide(null, false, at)
                    : rule.decide(flood.window(), flood.summaryId() != null && flood.summaryOpen(), at);
            if (decision instanceof FloodControl.Fold fold) {
                if (fold.opensSummary()) {
                    opening.put(recipient, fold);
                } else {
                    folded.add(recipient.email());
                }
            } else if (((FloodControl.MailNow) decision).endsSummary()) {
                ended.add(flood.summaryId());
            }
            decided.put(recipient.email(), decision);
        }
        Set<String> opened = openSummaries(comment, opening, confirmedMeanwhile);
        for (Recipient recipient : opening.keySet()) {
            if (opened.contains(recipient.email())) {
                folded.add(recipient.email());
            } else {
                // The window's summary exists already and a sender has it (identical comment times can
                // reopen a window under the same key): mailed at once.
                decided.put(recipient.email(), rule.summaryGone(at));
            }
        }
        if (!ended.isEmpty()) {
            jdbcTemplate.update(connection -> {
                PreparedStatement statement = connection.prepareStatement("""
                        update delivery set summary_until_position = ?
                         where id = any (?) and summary_until_position is null and summary_through_position is null
                        """);
                statement.setInt(1, comment.position() - 1);
                statement.setArray(2, connection.createArrayOf("bigint", ended.toArray()));
                return statement;
            });
        }
        // The window rows that change, grouped by their new value: the first updates of a hot thread's burst
        // give every participant the same window (10,000 rows a comment), a few groups otherwise.
        Map<WindowRow, List<String>> changed = new LinkedHashMap<>();
        decided.forEach((email, decision) -> {
            Flood flood = floods.get(email);
            // Folded into a summary that takes updates until the window closes: quiet till then, so the
            // next comments do not read them (see participants). Mailed at once: read again.
            Instant quietUntil = decision instanceof FloodControl.Fold fold ? fold.closesAt() : null;
            if (decision.changes(flood == null ? null : flood.window())
                    || !Objects.equals(quietUntil, flood == null ? null : flood.quietUntil())) {
                changed.computeIfAbsent(new WindowRow(decision.window(), quietUntil), row -> new ArrayList<>()).add(email);
            }
        });
        // Every recipient is a participant (they were read from thread_participant): its row keeps the window.
        // One statement per group along the primary key (email = any), not a JDBC batch of one UPDATE per
        // recipient.
        changed.forEach((row, emails) -> jdbcTemplate.update(connection -> {
            PreparedStatement statement = connection.prepareStatement("""
                    update thread_participant set window_opened_at = ?, window_updates = ?, quiet_until = ?
                     where post_id = ? and email = any (?)
                    """);
            statement.setObject(1, OffsetDateTime.ofInstant(row.window().openedAt(), ZoneOffset.UTC));
            statement.setInt(2, row.window().updates());
            statement.setObject(3, row.quietUntil() == null ? null : OffsetDateTime.ofInstant(row.quietUntil(), ZoneOffset.UTC),
                    Types.TIMESTAMP_WITH_TIMEZONE);
            statement.setObject(4, comment.postId());
            statement.setArray(5, connection.createArrayOf("text", emails.toArray()));
            return statement;
        }));
        return folded;
    }

    /** A recipient's window row as a comment leaves it. */
    private record WindowRow(FloodControl.Window window, Instant quietUntil) {
    }

    /**
     * Creates the summaries that this comment opens (PENDING until their window closes, or HELD for an
     * unconfirmed address like any delivery), one statement for the page; returns the recipients
     * whose summary was created now. One that exists already under the same key is not reused.
     */
    private Set<String> openSummaries(CommentRow comment, Map<Recipient, FloodControl.Fold> opening, Set<String> confirmedMeanwhile) {
        if (opening.isEmpty()) {
            return Set.of();
        }
        int size = opening.size();
        String[] emails = new String[size];
        String[] names = new String[size];
        Boolean[] held = new Boolean[size];
        Timestamp[] windows = new Timestamp[size];
        Timestamp[] closing = new Timestamp[size];
        int i = 0;
        for (Map.Entry<Recipient, FloodControl.Fold> entry : opening.entrySet()) {
            Recipient recipient = entry.getKey();
            emails[i] = recipient.email();
            names[i] = recipient.name();
            held[i] = recipient.held() && !confirmedMeanwhile.contains(recipient.email());
            windows[i] = Timestamp.from(entry.getValue().window().openedAt());
            closing[i] = Timestamp.from(entry.getValue().closesAt());
            i++;
        }
        return new HashSet<>(jdbcTemplate.query(connection -> {
            PreparedStatement statement = connection.prepareStatement("""
                    insert into delivery (comment_id, post_id, recipient_email, recipient_name, reason, status, status_reason,
                                          next_attempt_at, summary_window, summary_from_position)
                    select null, ?, o.email, o.name, 'SUMMARY', case when o.held then 'HELD' else 'PENDING' end,
                           case when o.held then 'address not confirmed yet' end, o.closes_at, o.opened_at, ?
                      from unnest(?::text[], ?::text[], ?::boolean[], ?::timestamptz[], ?::timestamptz[])
                           as o(email, name, held, opened_at, closes_at)
                    on conflict (recipient_email, post_id, summary_window) where reason = 'SUMMARY' do nothing
                    returning recipient_email
                    """);
            statement.setObject(1, comment.postId());
            statement.setInt(2, comment.position());
            statement.setArray(3, connection.createArrayOf("text", emails));
            statement.setArray(4, connection.createArrayOf("text", names));
            statement.setArray(5, connection.createArrayOf("boolean", held));
            statement.setArray(6, connection.createArrayOf("timestamptz", windows));
            statement.setArray(7, connection.createArrayOf("timestamptz", closing));
            return statement;
        }, (rs, row) -> rs.getString(1)));
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
