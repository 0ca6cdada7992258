package org.replyensemble.local.mail;

import java.time.Instant;

/**
 * One message the catcher received, with the headers a person checks when reading a
 * notification; {@code text} and {@code html} are the message's parts (null when absent).
 */
public record CaughtMail(
        int id,
        Instant receivedAt,
        String from,
        String to,
        String subject,
        String messageId,
        String inReplyTo,
        String references,
        String listUnsubscribe,
        String listUnsubscribePost,
        String text,
        String html) {
}
