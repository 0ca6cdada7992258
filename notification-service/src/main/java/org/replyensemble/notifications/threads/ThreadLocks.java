package org.replyensemble.notifications.threads;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The two per-thread locks (PostgreSQL transaction-level advisory locks, released at commit), and
 * the one order every holder takes them in: a thread's recording lock before its fan-out lock, and
 * a holder of several threads' locks takes them in post id order, all recording locks first. So no
 * two holders ever wait on each other in a circle.
 *
 * <ul>
 * <li>Recording: the thread stage while it stores a thread's comments (and the direct replies it can
 *     write ahead of their turn), the post's event, a gap skipped, an erasure. Held for a few
 *     statements.</li>
 * <li>Fan-out: the thread stage while it turns the thread's next comments into deliveries (a hot
 *     thread's comment writes a row for each of 10,000 participants), a post's event, a gap skipped,
 *     an edit or withdrawal of a comment (which must see that comment's rows), an erasure, and the
 *     sender while it claims a summary (the comments it carries are fixed then).</li>
 * </ul>
 *
 * Two locks, not one, so that storing a new comment never waits for an earlier comment's fan-out:
 * a direct reply is committed, ready to send, while the comments before it are still being fanned
 * out (see {@link Threads#record}). Advisory locks, not row locks: the thread's row may not exist
 * yet when its first comment arrives.
 */
public final class ThreadLocks {

    /** The first key of the recording locks (the two-int form, a key space apart from the one-bigint fan-out locks). */
    private static final int RECORDING = 0x72656364;

    private ThreadLocks() {
    }

    /** Waits for the thread's recording lock, held until this transaction ends. */
    public static void recording(JdbcClient jdbc, UUID postId) {
        long key = fanOutKey(postId);
        jdbc.sql("select pg_advisory_xact_lock(:space, :key)")
                .param("space", RECORDING)
                .param("key", (int) (key ^ (key >>> 32)))
                .query().singleValue();
    }

    /** Waits for the thread's fan-out lock, held until this transaction ends. */
    public static void fanOut(JdbcClient jdbc, UUID postId) {
        jdbc.sql("select pg_advisory_xact_lock(:key)").param("key", fanOutKey(postId)).query().singleValue();
    }

    /** The fan-out lock's key (also what a test takes to stand for a fan-out in progress). */
    public static long fanOutKey(UUID postId) {
        return postId.getMostSignificantBits() ^ postId.getLeastSignificantBits();
    }
}
