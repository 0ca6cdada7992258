package org.replyensemble.notifications.threads;

/** Why a person gets the email about a comment; each email says it in words. */
public enum Reason {
    /** The comment answers a comment this person wrote. */
    DIRECT_REPLY,
    /** This person wrote the post. */
    POST_AUTHOR,
    /** This person commented earlier in the thread. */
    PARTICIPANT
}
