package org.replyensemble.notifications.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.notifications.FlowTest;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A direct reply has its delivery committed when it is stored, before the comments in front of it
 * are fanned out and without waiting for a fan-out in progress; the thread's deliveries end up
 * exactly those of one comment at a time, also when the process dies between storing and fanning
 * out. Events are stored and advanced directly (the listener's two stages), so a test can stop
 * after the first the way a crash would.
 */
class DirectRepliesAheadTest extends FlowTest {

    @Autowired
    Threads threads;
    @Autowired
    ThreadAdvancer advancer;
    @Autowired
    DataSource dataSource;

    @Test
    void aDirectReplyBehindOtherCommentsIsCommittedFirstAndTheThreadEndsAsOneCommentAtATimeWould() throws Exception {
        confirmAll("ann", "bob", "carl", "dan");
        UUID batched = post("batched");
        UUID oneByOne = post("one-by-one");
        CommentEvent annOnBatched = posted(batched, 1, null, "ann", true);
        CommentEvent annOnOneByOne = posted(oneByOne, 1, null, "ann", true);
        threads.recordComments(batched, List.of(annOnBatched));
        threads.recordComments(oneByOne, List.of(annOnOneByOne));
        // A poll of the batched thread: two updates, then Dan's reply to Ann.
        List<CommentEvent> poll = List.of(posted(batched, 2, null, "bob", true), posted(batched, 3, null, "carl", true),
                posted(batched, 4, annOnBatched.comment().id(), "dan", false));

        assertThat(threads.record(batched, poll)).isEqualTo(3);

        // Committed with the comments, before the updates in front of it: Ann's direct reply, nothing else yet.
        assertThat(fannedOut(batched)).isEqualTo(1);
        assertThat(deliveries(batched)).containsExactlyInAnyOrder(
                "1 olga POST_AUTHOR", "4 ann DIRECT_REPLY");

        // The process died there: the poll comes again, its events are seen before, and the thread is advanced.
        assertThat(threads.recordComments(batched, poll)).isZero();
        assertThat(fannedOut(batched)).isEqualTo(4);

        threads.recordComments(oneByOne, List.of(posted(oneByOne, 2, null, "bob", true)));
        threads.recordComments(oneByOne, List.of(posted(oneByOne, 3, null, "carl", true)));
        threads.recordComments(oneByOne, List.of(posted(oneByOne, 4, annOnOneByOne.comment().id(), "dan", false)));
        assertThat(deliveries(batched))
                .containsExactlyInAnyOrderElementsOf(deliveries(oneByOne))
                .containsExactlyInAnyOrder(
                        "1 olga POST_AUTHOR",
                        "2 olga POST_AUTHOR", "2 ann PARTICIPANT",
                        "3 olga POST_AUTHOR", "3 ann PARTICIPANT", "3 bob PARTICIPANT",
                        "4 ann DIRECT_REPLY", "4 olga POST_AUTHOR", "4 bob PARTICIPANT", "4 carl PARTICIPANT");

        awaitSettled(batched, oneByOne);
        // Both threads mailed: Ann one email per later comment on each, never two for one comment.
        assertThat(mailTo(address("ann"))).hasSize(6);
        assertThat(mailTo(address("olga"))).hasSize(8);
        assertThat(mailTo(address("dan"))).isEmpty();
    }

    @Test
    void whatTheFirstTransactionRecordedBeforeTheProcessDiedIsFannedOutWhenThePollComesBackLonger() throws Exception {
        confirmAll("ann", "bob", "carl", "dan", "eve", "fay", "gus");
        UUID postId = post("late");
        CommentEvent ann = posted(postId, 1, null, "ann", true);
        threads.recordComments(postId, List.of(ann));
        // Position 2 goes missing; the thread is moved past it.
        threads.recordComments(postId, List.of(posted(postId, 3, null, "carl", true)));
        assertThat(threads.skipGap(postId, Duration.ZERO)).isEqualTo(1);
        assertThat(fannedOut(postId)).isEqualTo(3);

        // One poll: the missing comment (replayed from the dead-letter topic), an update, Eve's reply to
        // Ann, and Fay's comment at 7 (6 is still on its way).
        List<CommentEvent> poll = List.of(posted(postId, 2, null, "bob", true), posted(postId, 4, null, "dan", true),
                posted(postId, 5, ann.comment().id(), "eve", false), posted(postId, 7, null, "fay", true));
        assertThat(threads.record(postId, poll)).isEqualTo(4);
        assertThat(deliveries(postId)).filteredOn(row -> row.startsWith("2 ") || row.startsWith("4 ")).isEmpty();

        // Died there, before the lane advanced the thread. The poll comes back with one more comment after it: only that one is new, and
        // everything the first transaction recorded is fanned out too, the late comment on its own.
        List<CommentEvent> longer = new ArrayList<>(poll);
        longer.add(posted(postId, 8, null, "gus", true));
        assertThat(threads.recordComments(postId, longer)).isEqualTo(1);
        assertThat(deliveries(postId)).filteredOn(row -> row.startsWith("2 ")).containsExactlyInAnyOrder(
                "2 olga POST_AUTHOR", "2 ann PARTICIPANT");
        assertThat(deliveries(postId)).filteredOn(row -> row.startsWith("5 ")).containsExactlyInAnyOrder(
                "5 ann DIRECT_REPLY", "5 olga POST_AUTHOR", "5 bob PARTICIPANT", "5 carl PARTICIPANT", "5 dan PARTICIPANT");
        assertThat(jdbc.sql("select count(*) from thread_gap where post_id = :id and filled_at is not null")
                .param("id", postId).query(Long.class).single()).isEqualTo(1);
        // And it waits at 6, known to be missing (the gap timeout moves it on), not silently.
        assertThat(fannedOut(postId)).isEqualTo(5);
        assertThat(jdbc.sql("select gap_since is not null from thread where post_id = :id").param("id", postId)
                .query(Boolean.class).single()).isTrue();
        assertThat(threads.recordComments(postId, longer)).isZero();
        awaitSettled(postId, 5);
        assertThat(mailTo(address("bob"))).hasSize(2); // Dan's and Eve's comments: his own late one mails the others
    }

    @Test
    void storingADirectReplyDoesNotWaitForTheFanOutInProgressAndItsTurnWritesNothingTwice() throws Exception {
        confirmAll("ann", "bob", "carl");
        UUID postId = post("busy");
        CommentEvent ann = posted(postId, 1, null, "ann", true);
        threads.recordComments(postId, List.of(ann));
        CommentEvent bob = posted(postId, 2, null, "bob", true);
        threads.record(postId, List.of(bob));
        try (Connection fanOut = dataSource.getConnection()) {
            // Another transaction holds the thread's fan-out lock, as the lane does while it fans out Bob's comment.
            fanOut.setAutoCommit(false);
            try (PreparedStatement lock = fanOut.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, ThreadLocks.fanOutKey(postId));
                lock.execute();
            }
            assertThat(jdbc.sql("""
                    select count(*) from pg_locks where locktype = 'advisory' and granted and objsubid = 1
                       and ((classid::bigint << 32) | objid::bigint) = :key
                    """).param("key", ThreadLocks.fanOutKey(postId)).query(Long.class).single()).isEqualTo(1);

            CompletableFuture<Integer> reply = CompletableFuture.supplyAsync(
                    () -> threads.record(postId, List.of(posted(postId, 3, ann.comment().id(), "carl", true))));

            assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(deliveries(postId)).containsExactlyInAnyOrder("1 olga POST_AUTHOR", "3 ann DIRECT_REPLY");
            // An edit must see the rows of its comment: it waits for the fan-out in progress.
            CommentEvent.CommentPosted posted = bob.comment();
            CommentEvent.CommentPosted edited = new CommentEvent.CommentPosted(posted.id(), postId, null, 2, posted.author(),
                    true, "comment 2, edited", posted.createdAt(), Instant.now(), null);
            CompletableFuture<Integer> edit = CompletableFuture.supplyAsync(
                    () -> threads.record(postId, List.of(CommentEvent.edited(edited))));
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !edit.isDone());
            fanOut.rollback();
            assertThat(edit.get(10, TimeUnit.SECONDS)).isZero();
        }
        threads.advance(postId);

        assertThat(fannedOut(postId)).isEqualTo(3);
        assertThat(deliveries(postId)).containsExactlyInAnyOrder(
                "1 olga POST_AUTHOR",
                "2 olga POST_AUTHOR", "2 ann PARTICIPANT",
                "3 ann DIRECT_REPLY", "3 olga POST_AUTHOR", "3 bob PARTICIPANT");
        awaitSettled(postId, 3);
        assertThat(mailTo(address("ann"))).hasSize(2);
    }

    @Test
    void aThreadStoredButNeverAdvancedIsFannedOutByTheSweep() throws Exception {
        confirmAll("ann", "bob");
        UUID postId = post("forgotten");
        // Stored, and then the process died before its lane came to the thread (the offsets had passed it).
        threads.record(postId, List.of(posted(postId, 1, null, "ann", true), posted(postId, 2, null, "bob", true)));
        assertThat(fannedOut(postId)).isZero();

        assertThat(advancer.advanceStoredOlderThan(Duration.ZERO)).isPositive();

        assertThat(fannedOut(postId)).isEqualTo(2);
        assertThat(deliveries(postId)).containsExactlyInAnyOrder(
                "1 olga POST_AUTHOR", "2 olga POST_AUTHOR", "2 ann PARTICIPANT");
        assertThat(advancer.advanceStoredOlderThan(Duration.ZERO)).isZero();
    }

    @Test
    void aSmallThreadIsFannedOutAsItIsStoredALargeOrBusyOneIsLeftToItsLane() throws Exception {
        confirmAll("ann", "bob", "carl", "dan");
        UUID postId = post("inline");
        CommentEvent ann = posted(postId, 1, null, "ann", true);

        // Olga alone so far: at most 2 participants is small, fanned out in the same transaction.
        assertThat(threads.recordAndAdvanceIfSmall(postId, List.of(ann), 2)).isTrue();
        assertThat(fannedOut(postId)).isEqualTo(1);
        assertThat(deliveries(postId)).containsExactlyInAnyOrder("1 olga POST_AUTHOR");

        // Olga and Ann are 2, over a bound of 1: stored only, Dan's reply to Ann written ahead of its turn.
        assertThat(threads.recordAndAdvanceIfSmall(postId, List.of(posted(postId, 2, null, "bob", true),
                posted(postId, 3, ann.comment().id(), "dan", false)), 1)).isFalse();
        assertThat(fannedOut(postId)).isEqualTo(1);
        assertThat(deliveries(postId)).containsExactlyInAnyOrder("1 olga POST_AUTHOR", "3 ann DIRECT_REPLY");

        try (Connection fanOut = dataSource.getConnection()) {
            // Its lane is fanning the thread out: small enough, but the consumer thread does not wait for the lock.
            fanOut.setAutoCommit(false);
            try (PreparedStatement lock = fanOut.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, ThreadLocks.fanOutKey(postId));
                lock.execute();
            }
            CompletableFuture<Boolean> carl = CompletableFuture.supplyAsync(
                    () -> threads.recordAndAdvanceIfSmall(postId, List.of(posted(postId, 4, null, "carl", true)), 50));
            assertThat(carl.get(10, TimeUnit.SECONDS)).isFalse();
            fanOut.rollback();
        }
        assertThat(fannedOut(postId)).isEqualTo(1);

        // The next small poll fans out everything stored before it too, each row once.
        assertThat(threads.recordAndAdvanceIfSmall(postId, List.of(posted(postId, 5, null, "ann", true)), 50)).isTrue();
        assertThat(fannedOut(postId)).isEqualTo(5);
        threads.advance(postId); // the lane, coming late: nothing left to do
        assertThat(deliveries(postId)).containsExactlyInAnyOrder(
                "1 olga POST_AUTHOR",
                "2 olga POST_AUTHOR", "2 ann PARTICIPANT",
                "3 ann DIRECT_REPLY", "3 olga POST_AUTHOR", "3 bob PARTICIPANT",
                "4 olga POST_AUTHOR", "4 ann PARTICIPANT", "4 bob PARTICIPANT",
                "5 olga POST_AUTHOR", "5 bob PARTICIPANT", "5 carl PARTICIPANT");
        awaitSettled(postId, 5);
        assertThat(mailTo(address("ann"))).hasSize(3);
        assertThat(mailTo(address("dan"))).isEmpty();
    }

    private void confirmAll(String... names) throws Exception {
        for (String name : names) {
            confirm(address(name), name);
        }
    }

    private UUID post(String slug) {
        UUID postId = UUID.randomUUID();
        threads.recordPost(PostEvent.of(PostEvent.PUBLISHED, new PostEvent.PostState(postId, slug, "Ahead " + slug, "body",
                new Person("Olga", address("olga")), Instant.now(), true, 1), Instant.now()));
        return postId;
    }

    private CommentEvent posted(UUID postId, int position, UUID parentId, String name, boolean notify) {
        return CommentEvent.posted(comment(postId, position, parentId, name, address(name), notify, "comment " + position));
    }

    private int fannedOut(UUID postId) {
        return jdbc.sql("select fanned_out_position from thread where post_id = :id").param("id", postId)
                .query(Integer.class).single();
    }

    /** "position recipient reason" for each delivery of the thread (recipients by their address's local part). */
    private List<String> deliveries(UUID postId) {
        return jdbc.sql("""
                select c.position || ' ' || split_part(d.recipient_email, '@', 1) || ' ' || d.reason
                  from delivery d join thread_comment c on c.comment_id = d.comment_id
                 where d.post_id = :id
                """).param("id", postId).query(String.class).list();
    }
}
