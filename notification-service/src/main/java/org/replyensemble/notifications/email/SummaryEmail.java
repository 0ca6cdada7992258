package org.replyensemble.notifications.email;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.replyensemble.notifications.preferences.ThreadMode;

/**
 * One flood-control summary: the thread updates of one window folded into one email; the addresses
 * are normalized.
 *
 * @param windowOpenedAt the window's key (with recipient and post): the same summary has the same Message-ID
 * @param updates        the ones the email lists, in thread order: all of them, or the latest when there
 *                       are more than notifications.flood-control.listed-per-summary
 * @param total          how many updates the summary carries, listed or not
 * @param firstUpdateId  the first of them, where a reader starts when not all are listed
 */
public record SummaryEmail(
        UUID postId,
        String postSlug,
        String postTitle,
        String recipientEmail,
        String recipientName,
        Instant windowOpenedAt,
        List<Update> updates,
        int total,
        UUID firstUpdateId,
        ThreadMode mode) {

    /** A summary that lists every update it carries. */
    public SummaryEmail(UUID postId, String postSlug, String postTitle, String recipientEmail, String recipientName,
            Instant windowOpenedAt, List<Update> updates, ThreadMode mode) {
        this(postId, postSlug, postTitle, recipientEmail, recipientName, windowOpenedAt, updates, updates.size(),
                updates.isEmpty() ? null : updates.get(0).commentId(), mode);
    }

    /** One folded comment: who wrote it, what it says, and where it is. */
    public record Update(UUID commentId, String authorName, String excerpt) {
    }

    public String subject() {
        return total == 1 ? "1 new reply on " + postTitle : total + " new replies on " + postTitle;
    }

    /** The updates carried but not listed: the earliest ones. */
    public int notListed() {
        return total - updates.size();
    }

    /** The footer's "you get ..." line, as in a reply email. */
    public String modeInWords() {
        return "an email for every new reply on this post, and one summary when a thread gets busy";
    }
}
