package org.replyensemble.notifications.email;

import java.util.UUID;

/**
 * The one email an unconfirmed address can get: "a comment on this post asked for reply emails
 * to this address; confirm if that was you". It quotes nothing a commenter wrote (not even the
 * name), so nobody can use it to mail their own text to a stranger; the post's title comes from
 * its author, who has an account.
 *
 * @param commentId    the comment whose author asked (the Message-ID is derived from it)
 * @param greetingName the name that comment gave; recorded as the greeting name if the owner confirms
 */
public record ConfirmationEmail(UUID commentId, UUID postId, String postTitle, String recipientEmail, String greetingName) {

    public String subject() {
        return "Please confirm your email address for reply notifications";
    }
}
