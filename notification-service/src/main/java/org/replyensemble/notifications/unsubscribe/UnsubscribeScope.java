package org.replyensemble.notifications.unsubscribe;

import java.util.UUID;

/**
 * What an unsubscribe token stops: the emails of one post's thread, or all of them.
 *
 * @param email  normalized address
 * @param postId the post, or null for everything
 */
public record UnsubscribeScope(String email, UUID postId) {

    public static UnsubscribeScope thread(String email, UUID postId) {
        return new UnsubscribeScope(email, postId);
    }

    public static UnsubscribeScope everything(String email) {
        return new UnsubscribeScope(email, null);
    }

    public boolean isEverything() {
        return postId == null;
    }
}
