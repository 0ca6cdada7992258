package org.replyensemble.notifications.threads;

import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.notifications.addresses.AddressBook;
import org.replyensemble.notifications.erasure.Erasures;
import org.replyensemble.notifications.addresses.AddressBook.AddressState;
import org.replyensemble.notifications.addresses.Addresses;
import org.replyensemble.notifications.confirmations.ConfirmationCaps;
import org.replyensemble.notifications.confirmations.ConfirmationRequests;
import org.replyensemble.notifications.confirmations.Confirmations;
import org.replyensemble.notifications.preferences.Preferences;
import org.replyensemble.notifications.preferences.ThreadMode;
import org.replyensemble.support.sql.InLists;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The thread stage: records posts and comments and turns each comment into deliveries, strictly
 * in position order. Because the recipients of the comment at position p depend only on the
 * comments before p, redelivery, replay, out-of-order arrival (a comment before its post) or two
 * instances during a rebalance all end in the same delivery rows, written once. (A direct reply
 * whose row is already decided before its turn may be written ahead of it, the same row: see
 * {@link #record}.)
 *
 * <p>What a comment may change about its author's address, and nothing more (anyone can type
 * anyone's address): the first time an address is seen its row is created; a comment asking for
 * replies subscribes its author to the thread (counted once the owner confirms: until then their
 * emails are held), brings back a confirmed author who had unsubscribed from this thread, and for
 * an unconfirmed author asks for the one confirmation email. A comment never unsubscribes anyone,
 * never renames anyone, never confirms anyone.
 */
@Service
public class Threads {

    /** The status_reason of the mail a comment's deletion cancelled (by its author or a moderator). */
    public static final String DELETED_REASON = "comment deleted";
    /** The status_reason of the mail a moderator's hiding cancelled. */
    public static final String HIDDEN_REASON = "comment hidden by a moderator";
    /** Why a thread_comment's mail is cancelled, in SQL: the reason, or null while it stands. */
    public static final String WITHDRAWN_SQL = "case when c.deleted_at is not null then '" + DELETED_REASON
            + "' when c.hidden_at is not null then '" + HIDDEN_REASON + "' end";
    /** How many of a thread's next comments are read in one query while it advances. */
    private static final int NEXT_COMMENTS = 100;
    private static final String THREAD =
            "select post_id, slug, title, author_name, author_email, fanned_out_position, gap_since from thread";
    private static final String COMMENTS = """
            select c.comment_id, c.post_id, c.position, c.parent_id, c.author_name, c.author_email,
                   c.notify as wants_replies, c.created_at, parent.author_email as parent_author_email,
                   %s as withdrawn
              from thread_comment c
              left join thread_comment parent on parent.comment_id = c.parent_id and parent.post_id = c.post_id
             where c.post_id = :postId""".formatted(WITHDRAWN_SQL);

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final Erasures erasures;
    private final FanOut fanOut;
    private final ApplicationEventPublisher events;
    private final AddressBook addresses;
    private final Confirmations confirmations;
    private final ConfirmationRequests confirmationRequests;
    private final Preferences preferences;
    private final Counter lateComments;
    private final MeterRegistry meters;
    private final TransactionTemplate transactions;

    Threads(JdbcClient jdbc, JdbcTemplate jdbcTemplate, FanOut fanOut, ApplicationEventPublisher events, AddressBook addresses,
            Confirmations confirmations, ConfirmationRequests confirmationRequests, Preferences preferences,
            MeterRegistry meters, Erasures erasures, TransactionTemplate transactions) {
        this.transactions = transactions;
        this.erasures = erasures;
        this.lateComments = Counter.builder("threads.late_comments")
                .description("Comments that arrived for a position their thread had been moved past, fanned out on their own")
                .register(meters);
        this.meters = meters;
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.fanOut = fanOut;
        this.events = events;
        this.addresses = addresses;
        this.confirmations = confirmations;
        this.confirmationRequests = confirmationRequests;
        this.preferences = preferences;
    }

    /** Keeps the newest revision of the post, then fans out any comments that were waiting for it. */
    @Transactional
    public void recordPost(PostEvent event) {
        PostEvent.PostState post = event.post();
        // Both locks: comments stored before this commits are fanned out below, those after it see the thread.
        ThreadLocks.recording(jdbc, post.id());
        ThreadLocks.fanOut(jdbc, post.id());
        jdbc.sql("""
                insert into thread (post_id, slug, title, author_name, author_email, revision, comments_open, closed_at)
                values (:postId, :slug, :title, :authorName, :authorEmail, :revision, :open,
                        case when :open then null else cast(:changedAt as timestamptz) end)
                on conflict (post_id) do update
                   set slug = excluded.slug, title = excluded.title, author_name = excluded.author_name,
                       author_email = excluded.author_email, revision = excluded.revision,
                       comments_open = excluded.comments_open,
                       -- Closed since the first closing event; reopening clears it (retention counts from it).
                       closed_at = case when excluded.comments_open then null else coalesce(thread.closed_at, excluded.closed_at) end
                 where thread.revision < excluded.revision
                """)
                .param("open", post.commentsOpen())
                .param("changedAt", utc(event.occurredAt() != null ? event.occurredAt() : Instant.now()))
                .param("postId", post.id())
                .param("slug", post.slug())
                .param("title", post.title())
                .param("authorName", nameOf(post.author().name()))
                .param("authorEmail", erasures.stored(Addresses.normalize(post.author().email())))
                .param("revision", post.revision())
                .update();
        String authorEmail = erasures.stored(Addresses.normalize(post.author().email()));
        // post-service takes a post's author address from the author's account: confirmed, with its name.
        confirmations.confirmPostAuthor(authorEmail, nameOf(post.author().name()));
        jdbc.sql("""
                insert into thread_participant (post_id, email, first_position, latest_position, subscribed)
                values (:postId, :email, 0, 0, true)
                on conflict (post_id, email) do nothing
                """)
                .param("postId", post.id())
                .param("email", authorEmail)
                .update();
        jdbc.sql("delete from awaited_post where post_id = :postId").param("postId", post.id()).update();
        lockThread(post.id()).ifPresent(this::advance);
    }

    /** Deliveries not sent because their comment was deleted or hidden before they went out, by reason. */
    public static Counter cancelledCounter(MeterRegistry meters, String statusReason) {
        return Counter.builder("notifications.deliveries.cancelled")
                .description("Deliveries never sent because their comment was deleted or hidden before they went out")
                .tag("reason", HIDDEN_REASON.equals(statusReason) ? "hidden" : "deleted")
                .register(meters);
    }

    /** Returns false when this event was processed before, or its comment was recorded already (nothing is done twice). */
    public boolean recordComment(CommentEvent event) {
        return recordComments(event.comment().postId(), List.of(event)) == 1;
    }

    /**
     * Records comment events of one thread and advances it, one after the other (see {@link #record}
     * and {@link #advance}): what the comment listener's two stages do, in one call.
     *
     * @return how many comments were recorded now (the others' events, or the comments themselves, were seen before)
     */
    public int recordComments(UUID postId, List<CommentEvent> events) {
        int recorded = record(postId, events);
        advance(postId);
        return recorded;
    }

    /**
     * Stores comment events of one thread, in the order given (a partition's order), in one
     * transaction under the thread's recording lock: each run of new comments in one JDBC batch (the
     * processed-event log and the comment row together), each edit, deletion or moderation in between
     * on its own. Fanning them out is {@link #advance}'s, in a transaction of its own, under the other
     * lock ({@link ThreadLocks}): so storing never waits for an earlier comment's fan-out, which on a
     * hot thread writes a row for each of 10,000 participants.
     *
     * <p>Every type carries the comment's whole state, so whichever of a comment's events arrives
     * first creates its row (a CommentPosted dead-lettered and replayed later changes nothing then);
     * an edit changes the text the sender will read for the mail not yet sent; a deletion or hiding
     * cancels that mail (and a comment withdrawn before its turn has its rows recorded CANCELLED).
     * Those changes take the fan-out lock too: a comment being fanned out right now gets its rows
     * first, then the change sees them.
     *
     * <p>The direct replies among the new comments get their delivery here, committed with them, when
     * it is known already (see {@link #directRepliesAhead}): a reply is ready to send while the
     * comments before it still wait for their turn.
     *
     * @return how many comments were recorded now (the others' events, or the comments themselves, were seen before)
     */
    public int record(UUID postId, List<CommentEvent> events) {
        return transactions.execute(status -> {
            ThreadLocks.recording(jdbc, postId);
            return store(postId, events, true).comments();
        });
    }

    /**
     * Stores comment events of one thread like {@link #record}, and when the thread is small (at most
     * {@code smallThread} participants) and nobody is fanning it out right now, fans them out in the
     * same transaction: one commit instead of two for the usual thread of a few people, whose fan-out
     * costs less than handing it over. A large thread, or one whose fan-out lock is taken (its lane is
     * on it), is only stored; its fan-out is {@link #advance}'s, so a hot thread's 10,000 rows per
     * comment never hold up the consumer thread.
     *
     * @return true when the thread was advanced here too
     */
    public boolean recordAndAdvanceIfSmall(UUID postId, List<CommentEvent> events, int smallThread) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            ThreadLocks.recording(jdbc, postId);
            // Counted along the primary key and at most one past the bound: a hot thread costs what a small one does.
            // The lock is only tried, never waited for, and only for a small thread (case evaluates in order).
            boolean here = smallThread > 0 && Boolean.TRUE.equals(jdbc.sql("""
                    select case when (select count(*) from (select 1 from thread_participant
                                                             where post_id = :postId limit :bound) p) <= :small
                                then pg_try_advisory_xact_lock(:key) else false end
                    """)
                    .param("postId", postId)
                    .param("bound", smallThread + 1)
                    .param("small", smallThread)
                    .param("key", ThreadLocks.fanOutKey(postId))
                    .query(Boolean.class)
                    .single());
            Recorded stored = store(postId, events, !here);
            if (here) {
                // The row store() read is locked already when it read one: one statement less per comment.
                (stored.lockedThread().isPresent() ? stored.lockedThread() : lockThread(postId)).ifPresent(this::advance);
            }
            return here;
        }));
    }

    /**
     * What {@link #store} did: how many comments it recorded now, and the thread's row when it read it
     * locked for the fan-out that follows in the same transaction (not {@code ahead}: the caller
     * holds the fan-out lock).
     */
    private record Recorded(int comments, Optional<ThreadRow> lockedThread) {
    }

    /**
     * Under the thread's recording lock; writes direct replies ahead of their turn when {@code ahead},
     * and otherwise reads the thread's row {@code for update}, as the caller's fan-out will.
     */
    private Recorded store(UUID postId, List<CommentEvent> events, boolean ahead) {
        if (events.stream().anyMatch(event -> !CommentEvent.POSTED.equals(event.type()))) {
            ThreadLocks.fanOut(jdbc, postId);
        }
        List<Integer> arrived = new ArrayList<>();
        List<CommentEvent> newComments = new ArrayList<>();
        for (CommentEvent event : events) {
            if (!event.comment().postId().equals(postId)) {
                throw new IllegalArgumentException("comment " + event.comment().id() + " is not on post " + postId);
            }
            if (CommentEvent.POSTED.equals(event.type())) {
                newComments.add(event);
            } else {
                arrived.addAll(insertComments(newComments)); // in order: a change applies after the comments before it
                newComments.clear();
                recordChange(event).ifPresent(arrived::add);
            }
        }
        arrived.addAll(insertComments(newComments));
        if (arrived.isEmpty()) {
            return new Recorded(0, Optional.empty());
        }
        Optional<ThreadRow> thread = jdbc.sql(THREAD + " where post_id = :postId" + (ahead ? "" : " for update"))
                .param("postId", postId)
                .query(ThreadRow.class)
                .optional();
        if (thread.isEmpty()) {
            // The post event will advance the thread when it arrives (it takes the recording lock too,
            // so it sees these); until then this shows in the gauges.
            jdbc.sql("""
                    insert into awaited_post (post_id, comments) values (:postId, :comments)
                    on conflict (post_id) do update set comments = awaited_post.comments + excluded.comments
                    """).param("postId", postId).param("comments", arrived.size()).update();
        } else if (ahead) {
            directRepliesAhead(thread.get(), arrived);
        }
        return new Recorded(arrived.size(), ahead ? Optional.empty() : thread);
    }

    /**
     * Advances the thread (see {@link #advance(ThreadRow)}) in a transaction of its own, under its
     * fan-out lock: everything stored and not fanned out yet, whoever stored it. A no-op when nothing
     * waits, or the post has not arrived.
     */
    public void advance(UUID postId) {
        transactions.executeWithoutResult(status -> {
            ThreadLocks.fanOut(jdbc, postId);
            lockThread(postId).ifPresent(this::advance);
        });
    }

    /** How far behind the fan-out {@link #directRepliesAhead} still looks: past that, replies wait for their turn. */
    private static final int AHEAD_AT_MOST = 1_000;

    /**
     * Writes the delivery of each direct reply just stored whose row is known before its turn: for
     * the reply at position p, if positions up to p - 1 are all stored and none of those not yet
     * fanned out is by the author of the comment it answers, that author's state in the thread at p
     * (a participant since their earlier comment, subscribed or not, their mode) is what it is now,
     * so the row is exactly the one p's turn would write, and that turn finds it there (the unique
     * (comment, recipient) key). The fanned-out position is read as committed, without waiting for a
     * fan-out in progress: what that fan-out is doing counts as not fanned out yet, which only keeps
     * more replies waiting. A reply is never folded and counts in no window, so nothing else about the
     * recipient is read or touched. Any other reply waits for its turn; so do all of them when the
     * reply is more than {@value #AHEAD_AT_MOST} positions past the fan-out (a replay from the
     * topic's start), where counting the line would cost more than it saves. Per reply, two index
     * lookups: its line is complete (a count along the thread's positions) and holds no comment by the
     * answered author (along {@code thread_comment_authors}). The fan-out wakes the senders for what it writes.
     */
    private void directRepliesAhead(ThreadRow thread, List<Integer> arrived) {
        int fannedOut = thread.fannedOutPosition();
        List<Integer> ahead = arrived.stream().filter(p -> p > fannedOut && p - fannedOut <= AHEAD_AT_MOST).toList();
        if (ahead.isEmpty()) {
            return;
        }
        List<CommentRow> replies = jdbc.sql(COMMENTS + " and c.position in (:positions)"
                        + " and parent.author_email is not null and parent.author_email <> c.author_email order by c.position")
                .param("postId", thread.postId())
                .param("positions", InLists.padded(ahead))
                .query(CommentRow.class)
                .list();
        for (CommentRow reply : replies) {
            if (reply.deleted()) {
                continue; // its turn records it CANCELLED
            }
            boolean known = jdbc.sql("""
                    select (select count(*) from thread_comment
                             where post_id = :postId and position > :fannedOut and position < :position) = :position - :fannedOut - 1
                       and not exists (select 1 from thread_comment
                                        where post_id = :postId and author_email = :answered
                                          and position > :fannedOut and position < :position)
                    """)
                    .param("postId", thread.postId())
                    .param("fannedOut", fannedOut)
                    .param("position", reply.position())
                    .param("answered", reply.parentAuthorEmail())
                    .query(Boolean.class)
                    .single();
            if (known) {
                fanOut.directReplyAhead(thread, reply);
            }
        }
    }

    /** One statement per event: the processed-event log and the comment row; the positions recorded now. */
    private List<Integer> insertComments(List<CommentEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        // An erased person's old events (a replay) bring the placeholder in, never the address: one query for the batch.
        Set<String> erased = erasures.erasedAmong(events.stream().map(e -> Addresses.normalize(e.comment().author().email()))
                .collect(Collectors.toSet()));
        // A second event for the same comment (a producer's retry with a new event id) is logged and changes nothing.
        int[] inserted = jdbcTemplate.batchUpdate("""
                with first_time as (
                    insert into processed_event (event_id) values (?::uuid) on conflict do nothing returning event_id)
                insert into thread_comment (comment_id, post_id, position, parent_id, author_name, author_email,
                                            notify, excerpt, created_at, edited_at, deleted_at, hidden_at)
                select ?::uuid, ?::uuid, ?::int, ?::uuid, ?::text, ?::text, ?::boolean, ?::text, ?::timestamptz,
                       ?::timestamptz, ?::timestamptz, ?::timestamptz
                 where exists (select 1 from first_time)
                on conflict do nothing
                """, events.stream().map(event -> {
                    CommentEvent.CommentPosted comment = event.comment();
                    boolean deleted = comment.deleted();
                    String email = Addresses.normalize(comment.author().email());
                    boolean gone = erased.contains(email);
                    return new Object[] {event.eventId(), comment.id(), comment.postId(), comment.position(),
                            comment.parentId(), deleted || gone ? CommentEvent.DELETED_NAME : nameOf(comment.author().name()),
                            gone ? Person.ERASED_EMAIL : email, comment.notifyOnReply(),
                            deleted || comment.excerpt() == null ? "" : comment.excerpt(),
                            utc(comment.createdAt() != null ? comment.createdAt() : event.occurredAt()),
                            comment.editedAt() == null ? null : utc(comment.editedAt()),
                            deleted ? utc(comment.deletedAt()) : null,
                            !deleted && comment.hiddenAt() != null ? utc(comment.hiddenAt()) : null};
                }).toList());
        List<Integer> arrived = new ArrayList<>();
        for (int i = 0; i < inserted.length; i++) {
            // pgjdbc reports each statement's count; SUCCESS_NO_INFO would hide a recorded comment, so it counts as one.
            if (inserted[i] > 0 || inserted[i] == Statement.SUCCESS_NO_INFO) {
                arrived.add(events.get(i).comment().position());
            }
        }
        return arrived;
    }

    /**
     * An edit, deletion, hiding or showing again: creates the comment's row when it is the first of
     * its events to arrive (then returns its position), otherwise applies the change to the row.
     */
    private Optional<Integer> recordChange(CommentEvent event) {
        int firstTime = jdbc.sql("insert into processed_event (event_id) values (:eventId) on conflict do nothing")
                .param("eventId", event.eventId())
                .update();
        if (firstTime == 0) {
            return Optional.empty();
        }
        CommentEvent.CommentPosted comment = event.comment();
        boolean deleted = comment.deleted() || CommentEvent.DELETED.equals(event.type());
        boolean hidden = !deleted && (comment.hiddenAt() != null || CommentEvent.HIDDEN.equals(event.type()));
        int inserted = jdbc.sql("""
                insert into thread_comment (comment_id, post_id, position, parent_id, author_name, author_email,
                                            notify, excerpt, created_at, edited_at, deleted_at, hidden_at)
                values (:commentId, :postId, :position, :parentId, :authorName, :authorEmail, :notify, :excerpt, :createdAt,
                        :editedAt, :deletedAt, :hiddenAt)
                on conflict do nothing
                """)
                .param("commentId", comment.id())
                .param("postId", comment.postId())
                .param("position", comment.position())
                .param("parentId", comment.parentId())
                .param("authorName", deleted || erasures.isErased(Addresses.normalize(comment.author().email()))
                        ? CommentEvent.DELETED_NAME : nameOf(comment.author().name()))
                // An erased person's old event (a replay) brings the placeholder in, never the address.
                .param("authorEmail", erasures.stored(Addresses.normalize(comment.author().email())))
                .param("notify", comment.notifyOnReply())
                .param("excerpt", deleted || comment.excerpt() == null ? "" : comment.excerpt())
                .param("createdAt", utc(comment.createdAt() != null ? comment.createdAt() : event.occurredAt()))
                .param("editedAt", comment.editedAt() == null ? null : utc(comment.editedAt()))
                .param("deletedAt", deleted ? utc(comment.deletedAt() != null ? comment.deletedAt() : event.occurredAt()) : null)
                .param("hiddenAt", hidden ? utc(comment.hiddenAt() != null ? comment.hiddenAt() : event.occurredAt()) : null)
                .update();
        if (inserted == 1) {
            return Optional.of(comment.position());
        }
        if (deleted) {
            markDeleted(comment.id(), comment.deletedAt() != null ? comment.deletedAt() : event.occurredAt());
        } else if (CommentEvent.HIDDEN.equals(event.type())) {
            jdbc.sql("update thread_comment set hidden_at = coalesce(hidden_at, :hiddenAt) where comment_id = :commentId and deleted_at is null")
                    .param("hiddenAt", utc(comment.hiddenAt() != null ? comment.hiddenAt() : event.occurredAt()))
                    .param("commentId", comment.id())
                    .update();
            cancel(comment.id(), HIDDEN_REASON);
        } else if (CommentEvent.UNHIDDEN.equals(event.type())) {
            // Shown again: what was cancelled stays cancelled; a comment still waiting for its turn mails as usual.
            jdbc.sql("update thread_comment set hidden_at = null where comment_id = :commentId")
                    .param("commentId", comment.id())
                    .update();
        } else if (CommentEvent.EDITED.equals(event.type()) && comment.editedAt() != null) {
            // The sender reads the excerpt when it sends: mail not yet sent goes out with this text.
            // An edit older than the one held (a replay out of order) changes nothing; a deletion is final.
            jdbc.sql("""
                    update thread_comment set excerpt = :excerpt, edited_at = :editedAt
                     where comment_id = :commentId and deleted_at is null and (edited_at is null or edited_at < :editedAt)
                    """)
                    .param("excerpt", comment.excerpt() == null ? "" : comment.excerpt())
                    .param("editedAt", utc(comment.editedAt()))
                    .param("commentId", comment.id())
                    .update();
        }
        return Optional.empty();
    }

    /**
     * Wipes the deleted comment's text and name and cancels its mail not yet sent: pending rows no
     * sender holds (or whose sender's lease has run out) and held ones. A row a sender has claimed
     * and is sending now may still go out: the sender checks the comment again when it loads the
     * batch, so only a message already being handed to the mail server escapes.
     */
    private void markDeleted(UUID commentId, Instant deletedAt) {
        jdbc.sql("""
                update thread_comment set deleted_at = coalesce(deleted_at, :deletedAt), excerpt = '', author_name = :name
                 where comment_id = :commentId
                """)
                .param("deletedAt", utc(deletedAt))
                .param("name", CommentEvent.DELETED_NAME)
                .param("commentId", commentId)
                .update();
        cancel(commentId, DELETED_REASON);
    }

    /** A summary waiting to carry the comment leaves it out by itself: it reads the comments that still stand when it is sent. */
    private void cancel(UUID commentId, String reason) {
        int count = jdbc.sql("""
                update delivery set status = 'CANCELLED', status_reason = :reason, claim_token = null
                 where comment_id = :commentId and reason <> 'CONFIRMATION'
                   and (status = 'HELD' or (status = 'PENDING' and (claim_token is null or next_attempt_at <= now())))
                """)
                .param("reason", reason)
                .param("commentId", commentId)
                .update();
        cancelledCounter(meters, reason).increment(count);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * Moves a thread that has waited longer than {@code timeout} for its next comment past the
     * missing positions to the next comment it has, records each skipped position with the reason,
     * and fans out from there. Returns how many positions were skipped (0 if the thread stopped
     * waiting meanwhile). A comment that arrives later for a skipped position is fanned out on its
     * own (see {@link #advance}).
     */
    @Transactional
    public int skipGap(UUID postId, Duration timeout) {
        // Both locks: a reply stored meanwhile must not be written ahead past a position being skipped.
        ThreadLocks.recording(jdbc, postId);
        ThreadLocks.fanOut(jdbc, postId);
        Optional<ThreadRow> found = lockThread(postId);
        if (found.isEmpty() || found.get().gapSince() == null
                || found.get().gapSince().toInstant().isAfter(Instant.now().minus(timeout))) {
            return 0;
        }
        ThreadRow thread = found.get();
        Integer next = jdbc.sql("select min(position) from thread_comment where post_id = :postId and position > :position")
                .param("postId", postId)
                .param("position", thread.fannedOutPosition())
                .query(Integer.class)
                .single();
        if (next == null) {
            jdbc.sql("update thread set gap_since = null where post_id = :postId").param("postId", postId).update();
            return 0;
        }
        int skipped = next - 1 - thread.fannedOutPosition();
        jdbc.sql("""
                insert into thread_gap (post_id, position, reason)
                select :postId, p, :reason from generate_series(:first, :last) as p
                on conflict do nothing
                """)
                .param("postId", postId)
                .param("first", thread.fannedOutPosition() + 1)
                .param("last", next - 1)
                .param("reason", "no comment event for this position within the gap timeout (" + timeout
                        + "): dead-lettered, lost to the topic's retention, or still on its way")
                .update();
        jdbc.sql("update thread set fanned_out_position = :position, gap_since = null where post_id = :postId")
                .param("position", next - 1)
                .param("postId", postId)
                .update();
        lockThread(postId).ifPresent(this::advance);
        return skipped;
    }

    /** Threads waiting at a gap for longer than {@code timeout}, oldest first. */
    @Transactional(readOnly = true)
    public List<UUID> waitingLongerThan(Duration timeout, int limit) {
        return jdbc.sql("""
                select post_id from thread where gap_since < now() - make_interval(secs => :seconds)
                 order by gap_since limit :limit
                """)
                .param("seconds", (double) timeout.toMillis() / 1000)
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    private Optional<ThreadRow> lockThread(UUID postId) {
        return jdbc.sql(THREAD + " where post_id = :postId for update")
                .param("postId", postId)
                .query(ThreadRow.class)
                .optional();
    }

    /**
     * Fans out the thread's comments that are next in line, and keeps {@code gap_since}: set when a
     * comment is known beyond a missing position, cleared when nothing waits any more. Which comments
     * is read from what is stored, whichever transaction stored them (see {@link #record}).
     *
     * @param thread the thread's row, locked in this transaction, under its fan-out lock
     */
    private void advance(ThreadRow thread) {
        UUID postId = thread.postId();
        Stored stored = stored(postId);
        for (int position : stored.lateWaiting()) {
            fanOutLate(thread, position);
        }
        int position = thread.fannedOutPosition();
        List<CommentRow> next;
        do {
            next = commentsFrom(postId, position + 1);
            for (CommentRow comment : next) {
                if (comment.position() != position + 1) {
                    break;
                }
                RecipientRules.Candidate author = fanOut.fanOut(thread, comment, true);
                // Only now: the participants seen by comment p are exactly the authors of the post and of 1..p-1.
                recordParticipant(comment);
                actForAuthor(comment, author);
                position++;
            }
        } while (next.size() == NEXT_COMMENTS && next.get(next.size() - 1).position() == position);
        boolean waiting = stored.furthest() > position;
        boolean gapChanged = waiting ? thread.gapSince() == null || position > thread.fannedOutPosition()
                : thread.gapSince() != null;
        if (position > thread.fannedOutPosition() || gapChanged) {
            jdbc.sql("""
                    update thread set fanned_out_position = :position,
                           gap_since = case when :waiting then (case when :restart then now() else coalesce(gap_since, now()) end) end
                     where post_id = :postId
                    """)
                    .param("position", position)
                    .param("waiting", waiting)
                    .param("restart", position > thread.fannedOutPosition())
                    .param("postId", postId)
                    .update();
        }
    }

    /**
     * @param furthest    the furthest position of a comment stored for the thread (0 for none)
     * @param lateWaiting the skipped positions whose comment is stored and not fanned out yet, in order
     */
    private record Stored(int furthest, List<Integer> lateWaiting) {
    }

    private Stored stored(UUID postId) {
        return jdbc.sql("""
                select coalesce((select max(position) from thread_comment where post_id = :postId), 0) as furthest,
                       array(select g.position from thread_gap g
                               join thread_comment c on c.post_id = g.post_id and c.position = g.position
                              where g.post_id = :postId and g.filled_at is null
                              order by g.position) as late_waiting
                """)
                .param("postId", postId)
                .query((rs, row) -> new Stored(rs.getInt("furthest"),
                        List.of((Integer[]) rs.getArray("late_waiting").getArray())))
                .single();
    }

    /**
     * A comment for a position the thread was moved past (a gap): fanned out on its own, to the
     * participants whose first comment came before it, as it would have been in turn. A position
     * never skipped is never fanned out twice (its event is a repeat).
     */
    private void fanOutLate(ThreadRow thread, int position) {
        int filling = jdbc.sql("""
                update thread_gap set filled_at = now(),
                       comment_id = (select comment_id from thread_comment where post_id = :postId and position = :position)
                 where post_id = :postId and position = :position and filled_at is null
                """)
                .param("postId", thread.postId())
                .param("position", position)
                .update();
        if (filling == 0) {
            return;
        }
        CommentRow comment = commentAt(thread.postId(), position).orElseThrow();
        // Its place in the recipients' flood-control windows has passed: mailed at once, not folded.
        RecipientRules.Candidate author = fanOut.fanOut(thread, comment, false);
        recordParticipant(comment);
        actForAuthor(comment, author);
        lateComments.increment();
    }

    /** notify:false adds the author without subscribing them, and never unsubscribes them. */
    private void recordParticipant(CommentRow comment) {
        jdbc.sql("""
                insert into thread_participant (post_id, email, first_position, latest_position, subscribed)
                values (:postId, :email, :position, :position, :notify)
                on conflict (post_id, email) do update
                   set first_position = least(thread_participant.first_position, excluded.first_position),
                       latest_position = greatest(thread_participant.latest_position, excluded.latest_position),
                       subscribed = thread_participant.subscribed or excluded.subscribed
                """)
                .param("postId", comment.postId())
                .param("email", comment.authorEmail())
                .param("position", comment.position())
                .param("notify", comment.wantsReplies())
                .update();
    }

    /**
     * @param asParticipant the author's row among the thread's participants as the fan-out read it,
     *                      or null for their first comment here. A confirmed participant needs no
     *                      further reads; and only a participant can have unsubscribed from the
     *                      thread (the link comes in the thread's emails).
     */
    private void actForAuthor(CommentRow comment, RecipientRules.Candidate asParticipant) {
        if (asParticipant != null && asParticipant.confirmed()) {
            if (comment.wantsReplies() && asParticipant.mode() == ThreadMode.NONE) {
                preferences.resubscribe(comment.authorEmail(), comment.postId(), comment.createdAt().toInstant());
            }
            return;
        }
        AddressState author = addresses.ensure(comment.authorEmail(), comment.authorName());
        if (comment.wantsReplies() && !author.confirmed()
                && confirmationRequests.request(author, comment.commentId(), comment.postId(), comment.authorName())
                        == ConfirmationCaps.Decision.SEND) {
            events.publishEvent(new DeliveriesRecorded(comment.postId(), 1, false));
        }
    }

    private Optional<CommentRow> commentAt(UUID postId, int position) {
        return jdbc.sql(COMMENTS + " and c.position = :position")
                .param("postId", postId)
                .param("position", position)
                .query(CommentRow.class)
                .optional();
    }

    /**
     * The thread's comments stored at the {@value #NEXT_COMMENTS} positions from {@code position} on, in
     * position order (possibly with gaps): one page of what {@link #advance} reads, which stops at the
     * first gap anyway. A closed range, not "from here on, limit 100": PostgreSQL planned that one again
     * at every call (its generic plan guesses a third of the thread for an open range), about 0.25 ms
     * per comment (docs/benchmark.md, 2026-12-05).
     */
    private List<CommentRow> commentsFrom(UUID postId, int position) {
        return jdbc.sql(COMMENTS + " and c.position between :position and :last order by c.position")
                .param("postId", postId)
                .param("position", position)
                .param("last", position + NEXT_COMMENTS - 1)
                .query(CommentRow.class)
                .list();
    }

    /** A name is optional in the events; emails still need something to call the person. */
    private static String nameOf(String name) {
        return name == null || name.isBlank() ? "A reader" : name.strip();
    }
}
