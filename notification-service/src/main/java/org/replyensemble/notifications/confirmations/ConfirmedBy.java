package org.replyensemble.notifications.confirmations;

/** How an address came to be confirmed (address.confirmed_by). */
public enum ConfirmedBy {
    /** Its owner opened the link in a confirmation email and confirmed. */
    LINK,
    /** It is a post's author: post-service takes it from the author's account. */
    POST_AUTHOR,
    /** An operator (support staff, or the local run's seed replay when it cannot read the mail). */
    OPERATOR
}
