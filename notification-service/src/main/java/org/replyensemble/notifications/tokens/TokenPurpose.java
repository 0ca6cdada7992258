package org.replyensemble.notifications.tokens;

/**
 * What a sealed token may be used for, carried in its {@code purpose} claim: a link made to
 * unsubscribe never confirms an address, and a confirmation link never unsubscribes anyone.
 */
public enum TokenPurpose {
    UNSUBSCRIBE("unsubscribe"),
    CONFIRM("confirm"),
    /** The notification settings page (issue 8). */
    SETTINGS("settings");

    private final String claim;

    TokenPurpose(String claim) {
        this.claim = claim;
    }

    public String claim() {
        return claim;
    }
}
