package org.replyensemble.notifications.addresses;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.replyensemble.support.text.Mailboxes;

/**
 * The one place that decides when two addresses are the same person, and how an address may be
 * shown to anyone (never in full).
 */
public final class Addresses {

    /** Loose on purpose: it only has to find addresses inside error messages to hide them. */
    private static final Pattern ANY_ADDRESS = Pattern.compile("[^\\s<>()\\[\\]:;,\"'@]+@[^\\s<>()\\[\\]:;,\"']+");

    private Addresses() {
    }

    /** Trimmed and lower-cased: "Ann@Example.org " and "ann@example.org" are one person. */
    public static String normalize(String address) {
        if (address == null) {
            return null;
        }
        return address.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * The inbox an address ends in, as far as a stranger can vary the address and still reach it
     * (see {@link Mailboxes#of}). The caps on confirmation emails count per mailbox, so a thousand
     * variants of one address are one inbox's worth of confirmation mail. Only the caps use it:
     * mail always goes to the address as written.
     */
    public static String mailboxOf(String address) {
        return address == null ? null : Mailboxes.of(address);
    }

    /** {@code paul@example.org} becomes {@code p***@example.org}: enough for an operator to tell rows apart. */
    public static String mask(String address) {
        if (address == null) {
            return null;
        }
        String normalized = normalize(address);
        int at = normalized.lastIndexOf('@');
        if (at < 0) {
            return "***";
        }
        String first = at > 0 ? normalized.substring(0, 1) : "";
        return first + "***" + normalized.substring(at);
    }

    /** Masks every address inside a text (an SMTP error names the recipient) before it is stored or shown. */
    public static String maskWithin(String text) {
        if (text == null) {
            return null;
        }
        return ANY_ADDRESS.matcher(text).replaceAll(match -> Matcher.quoteReplacement(mask(match.group())));
    }
}
