package org.replyensemble.support.text;

import java.util.Locale;

/**
 * The mailbox an address delivers to, for counting and limits: {@code Victim+1@Example.org} and
 * {@code victim+2@example.org} both reach {@code victim@example.org}, so they share one budget.
 * Not for sending: mail still goes to the address as typed.
 */
public final class Mailboxes {

    private Mailboxes() {
    }

    /** Trimmed, lower-cased, the plus-tag of the local part removed. */
    public static String of(String address) {
        String trimmed = address.strip().toLowerCase(Locale.ROOT);
        int at = trimmed.lastIndexOf('@');
        if (at <= 0) {
            return trimmed;
        }
        String local = trimmed.substring(0, at);
        int plus = local.indexOf('+');
        if (plus > 0) {
            local = local.substring(0, plus);
        }
        return local + trimmed.substring(at);
    }
}
