package org.replyensemble.notifications.email;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import org.replyensemble.notifications.addresses.Addresses;

/**
 * Message-IDs derived from what an email is about rather than random: the email about comment C
 * to recipient R always has the same id, so a rare resend (a crash between sending and recording
 * it) is recognisable as the same message. The address is hashed: ids travel in headers that
 * other people's clients may quote.
 */
public final class MessageIds {

    private MessageIds() {
    }

    public static String forReply(UUID commentId, String recipient, String mailDomain) {
        return "<comment-" + commentId + "." + addressHash(recipient) + "@" + mailDomain + ">";
    }

    /** The confirmation email a comment asked for: one per (comment, address), like a reply email. */
    public static String forConfirmation(UUID commentId, String recipient, String mailDomain) {
        return "<confirm-" + commentId + "." + addressHash(recipient) + "@" + mailDomain + ">";
    }

    /** The flood-control summary of one window (keyed by its opening time) of one thread, to one recipient. */
    public static String forSummary(UUID postId, Instant windowOpenedAt, String recipient, String mailDomain) {
        return "<summary-" + postId + "." + windowOpenedAt.toEpochMilli() + "." + addressHash(recipient) + "@" + mailDomain + ">";
    }

    /** The id every email about one post answers, so a mail client shows them as one conversation. */
    public static String forThread(UUID postId, String mailDomain) {
        return "<post-" + postId + "@" + mailDomain + ">";
    }

    static String addressHash(String recipient) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Addresses.normalize(recipient).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
