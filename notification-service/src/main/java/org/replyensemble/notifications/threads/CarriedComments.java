package org.replyensemble.notifications.threads;

/**
 * Which comments a flood-control summary carries, derived from the thread rather than written per
 * comment: the thread stage writes nothing for a recipient whose window is past its limit (on a
 * hot thread that was a FOLDED row per participant per comment), so the summary row keeps only
 * where it starts, where it ends, and the SQL below reads the rest.
 *
 * <p>A summary {@code s} (a delivery of reason SUMMARY) carries the comments of its thread at
 * positions from {@code summary_from_position} (the update that opened it) up to the lower of
 * {@code summary_until_position} (the last position before the recipient's next window opened,
 * written by the thread stage then) and {@code summary_through_position} (the thread's fanned-out
 * position when a sender claimed it, under the thread's lock), or the thread's fanned-out position
 * while neither is set, that were thread updates for its recipient: not by the recipient, not a
 * direct reply to them, and not a comment fanned out late on its own (a filled gap, which is never
 * folded). Every comment in that range was decided in the summary's window, in position order, and
 * the window's count was past its limit (it never goes down), so these are exactly the updates the
 * thread stage folded. The sender's claim and the thread stage both hold the thread's advisory lock
 * while they fix or read the summary's state, so a comment recorded before the claim is within
 * {@code summary_through_position}, and one recorded after it sees the summary gone and is mailed
 * at once.
 *
 * <p>Joined as {@code from} + this + the caller's own conditions; {@code c} is the comment,
 * {@code s} the summary row (in scope), {@code t} the thread.
 */
public final class CarriedComments {

    /** Rows of c: the comments the summary s carried or carries, withdrawn ones included (add {@link #STANDING}). */
    public static final String OF_SUMMARY = """
            thread_comment c
              join thread t on t.post_id = c.post_id
              left join thread_comment parent on parent.comment_id = c.parent_id and parent.post_id = c.post_id
             where c.post_id = s.post_id
               and c.position >= s.summary_from_position
               and c.position <= least(coalesce(s.summary_until_position, 2147483647),
                                       coalesce(s.summary_through_position, t.fanned_out_position))
               and c.author_email <> s.recipient_email
               and parent.author_email is distinct from s.recipient_email
               and not exists (select 1 from thread_gap g where g.post_id = c.post_id and g.position = c.position)
            """;

    /** Not deleted or hidden: what a summary still says when it is sent. */
    public static final String STANDING = " and c.deleted_at is null and c.hidden_at is null ";

    private CarriedComments() {
    }
}
