package org.replyensemble.notifications.confirmations;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a mailbox may get one more confirmation email, as a pure function (unit-tested): at most
 * one per {@code interval} (a day by default), and at most {@code unansweredLimit} (3) while none
 * of the mailbox's addresses confirms. Together with "only an address's own comment asks" this
 * bounds what anyone's comments can send to a mailbox that never asked for anything.
 */
public final class ConfirmationCaps {

    public enum Decision {
        SEND,
        /** One was sent to this mailbox within the interval. */
        SENT_RECENTLY,
        /** The mailbox has had its unanswered confirmation emails. */
        TOO_MANY_UNANSWERED,
        /** The mailbox's owner asked never to be emailed, or the address bounces. */
        SUPPRESSED
    }

    private ConfirmationCaps() {
    }

    public static Decision decide(Instant now, Instant lastConfirmationAt, int unanswered, boolean suppressed,
            Duration interval, int unansweredLimit) {
        if (suppressed) {
            return Decision.SUPPRESSED;
        }
        if (unanswered >= unansweredLimit) {
            return Decision.TOO_MANY_UNANSWERED;
        }
        if (lastConfirmationAt != null && now.isBefore(lastConfirmationAt.plus(interval))) {
            return Decision.SENT_RECENTLY;
        }
        return Decision.SEND;
    }
}
