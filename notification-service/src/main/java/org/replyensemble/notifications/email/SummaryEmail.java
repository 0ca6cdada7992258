package org.replyensemble.notifications.email;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.replyensemble.notifications.preferences.ThreadMode;

/**
 * One flood-control summary: the thread updates of one window folded into one email, in thread
 * order; the addresses are normalized.
 *
 * @param windowOpenedAt the window's key (with recipient and post): the same summary has the same Message-ID
 */
public record SummaryEmail(
        UUID postId,
        String postSlug,
        String postTitle,
        String recipientEmail,
        String recipientName,
        Instant windowOpenedAt,
        List<Update> updates,
        ThreadMode mode) {

    /** One folded comment: who wrote it, what it says, and where it is. */
    public record Update(UUID commentId, String authorName, String excerpt) {
    }

    public String subject() {
        return updates.size() == 1 ? "1 new reply on " + postTitle : updates.size() + " new replies on " + postTitle;
    }

    /** The footer's "you get ..." line, as in a reply email. */
    public String modeInWords() {
        return "an email for every new reply on this post, and one summary when a thread gets busy";
    }
}
