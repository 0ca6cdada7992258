package org.replyensemble.notifications.email;

import java.util.UUID;

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
        Reason reason) {

    public String subject() {
        return reason == Reason.DIRECT_REPLY
                ? commenterName + " replied to your comment on " + postTitle
                : "New reply on " + postTitle;
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
