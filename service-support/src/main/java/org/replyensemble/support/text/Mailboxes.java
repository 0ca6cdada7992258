package org.replyensemble.support.text;

import java.util.Locale;
import java.util.Set;

/**
 * The mailbox an address delivers to, for counting and limits: {@code Victim+1@Example.org} and
 * {@code victim+2@example.org} both reach {@code victim@example.org}, so they share one budget.
 * Not for sending: mail still goes to the address as typed. The one rule both services count by:
 * comment-service's rate limits and notification-service's confirmation caps.
 */
public final class Mailboxes {

    /** Gmail ignores dots in the local part, and googlemail.com is the same mailbox as gmail.com. */
    private static final Set<String> GMAIL = Set.of("gmail.com", "googlemail.com");

    private Mailboxes() {
    }

    /** Trimmed, lower-cased, the plus-tag of the local part removed, and for Gmail its dots too. */
    public static String of(String address) {
        String trimmed = address.strip().toLowerCase(Locale.ROOT);
        int at = trimmed.lastIndexOf('@');
        if (at <= 0) {
            return trimmed;
        }
        String local = trimmed.substring(0, at);
        String domain = trimmed.substring(at + 1);
        int plus = local.indexOf('+');
        if (plus > 0) {
            local = local.substring(0, plus);
        }
        if (GMAIL.contains(domain)) {
            String withoutDots = local.replace(".", "");
            local = withoutDots.isEmpty() ? local : withoutDots;
            domain = "gmail.com";
        }
        return local + "@" + domain;
    }
}
