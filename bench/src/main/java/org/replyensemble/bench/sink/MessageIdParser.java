package org.replyensemble.bench.sink;

import java.util.Locale;
import java.util.UUID;

/**
 * Reads the comment id out of a reply email's Message-ID, {@code <comment-{commentId}.{hash}@domain>}
 * (notification-service's MessageIds), so each email's latency is measured from its own comment's 201.
 */
public final class MessageIdParser {

    private static final String PREFIX = "<comment-";
    private static final int UUID_LENGTH = 36;

    private MessageIdParser() {
    }

    /** @param header the header line, e.g. {@code Message-ID: <comment-...@replyensemble.local>} */
    public static UUID commentIdOf(String header) {
        int colon = header.indexOf(':');
        if (colon < 0 || !header.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("message-id")) {
            return null;
        }
        String value = header.substring(colon + 1).trim();
        if (!value.startsWith(PREFIX) || value.length() < PREFIX.length() + UUID_LENGTH) {
            return null;
        }
        try {
            return UUID.fromString(value.substring(PREFIX.length(), PREFIX.length() + UUID_LENGTH));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
