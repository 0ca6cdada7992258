package org.replyensemble.notifications.delivery;

import java.time.LocalDate;

import org.replyensemble.notifications.email.ConfirmationEmail;
import org.replyensemble.notifications.email.ReplyEmail;
import org.replyensemble.notifications.email.SummaryEmail;
import org.replyensemble.notifications.preferences.ThreadMode;
import org.replyensemble.notifications.threads.Reason;

/**
 * A claimed delivery with what its email needs, and its recipient's state as it is now: the
 * sender checks it again, since the owner may have chosen otherwise after the fan-out.
 * Exactly one of {@code reply}, {@code confirmation} and {@code summary} is set.
 *
 * @param countedOn the day this delivery was counted towards its recipient's daily cap, if it was
 */
record OutgoingEmail(long deliveryId, int attempts, String recipientEmail, LocalDate countedOn, Recipient recipient,
                     ReplyEmail reply, ConfirmationEmail confirmation, SummaryEmail summary) {

    OutgoingEmail(long deliveryId, int attempts, String recipientEmail, LocalDate countedOn, Recipient recipient,
            ReplyEmail reply, ConfirmationEmail confirmation) {
        this(deliveryId, attempts, recipientEmail, countedOn, recipient, reply, confirmation, null);
    }

    /**
     * @param addressSuppression why the address gets nothing (HARD_BOUNCE, OPERATOR), or null
     * @param mailboxSuppression why its mailbox gets nothing (NOT_ME, OPERATOR), or null
     */
    record Recipient(boolean confirmed, boolean mailEnabled, String addressSuppression, String mailboxSuppression,
                     ThreadMode mode, int hardBounces) {
    }

    boolean isConfirmation() {
        return confirmation != null;
    }

    boolean isSummary() {
        return summary != null;
    }

    /** Reply emails and summaries (one each) count towards the daily cap; confirmation emails have caps of their own. */
    boolean countsTowardsCap() {
        return reply != null || summary != null;
    }

    /** Null for a summary: it carries thread updates, never a direct reply (so "direct replies only" suppresses it). */
    Reason reason() {
        return reply == null ? null : reply.reason();
    }
}
