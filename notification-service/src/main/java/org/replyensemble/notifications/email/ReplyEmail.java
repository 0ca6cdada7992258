package org.replyensemble.notifications.email;

import java.util.UUID;

import org.replyensemble.notifications.preferences.ThreadMode;
import org.replyensemble.notifications.threads.Reason;

/** Everything one reply email says; the addresses are normalized. */
public record ReplyEmail(
        UUID commentId,
        UUID postId,
        String postSlug,
        String postTitle,
        String recipientEmail,
        String recipientName,
        String commenterName,
        String excerpt,
        Reason reason,
        /** What the recipient chose for this thread: the footer says it, with the link to change it. */
        ThreadMode mode) {

    public String subject() {
        return reason == Reason.DIRECT_REPLY
                ? commenterName + " replied to your comment on " + postTitle
                : "New reply on " + postTitle;
    }

    /** The footer's "you get ..." line. */
    public String modeInWords() {
        return mode == ThreadMode.DIRECT_REPLIES_ONLY
                ? "only direct replies to your comments on this post"
                : "an email for every new reply on this post";
    }

    /** Each email says why it was sent. */
    public String why() {
        return switch (reason) {
            case DIRECT_REPLY -> commenterName + " replied to your comment";
            case POST_AUTHOR -> "you wrote this post";
            case PARTICIPANT -> "you commented on this post";
        };
    }
}
