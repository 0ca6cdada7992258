package org.replyensemble.notifications.preferences;

/** What an address receives from one thread; chosen by its owner through mailed links only. */
public enum ThreadMode {
    /** Every new comment after theirs (the default). */
    EVERY_REPLY,
    /** Only comments that answer one of theirs. */
    DIRECT_REPLIES_ONLY,
    /** Nothing from this thread: the per-thread unsubscribe. */
    NONE
}
