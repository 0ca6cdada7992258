package org.replyensemble.notifications.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.notifications.FlowTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A direct reply that waits behind other comments of its thread (a hot thread's burst) has its
 * delivery committed before they are fanned out, and the thread's deliveries end up exactly those of
 * one comment at a time, also when the process dies between the two transactions. Events are
 * recorded directly (as the listener does with a poll), so a test can stop after the first
 * transaction the way a crash would.
 */
class DirectRepliesAheadTest extends FlowTest {

    @Autowired
    Threads threads;
    @Autowired
    TransactionTemplate transactions;

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

        Threads.Recorded recorded = transactions.execute(status -> threads.recordAhead(batched, poll));

        // Committed with the comments, before the updates in front of it: Ann's direct reply, nothing else yet.
        assertThat(recorded).isEqualTo(new Threads.Recorded(3, true));
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
        assertThat(transactions.execute(status -> threads.recordAhead(postId, poll)).advanceLeft()).isTrue();
        assertThat(deliveries(postId)).filteredOn(row -> row.startsWith("2 ") || row.startsWith("4 ")).isEmpty();

        // Died there. The poll comes back with one more comment after it: only that one is new, and
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
