package org.replyensemble.notifications.delivery;

import org.replyensemble.notifications.preferences.ThreadMode;
import org.replyensemble.notifications.threads.Reason;

/**
 * What the sender does with a claimed delivery, decided again at the last moment from its
 * recipient's state as it is now (a pure function, unit-tested): the owner may have unsubscribed,
 * the address may have started to bounce since the fan-out.
 */
final class SendPolicy {

    sealed interface Decision permits Send, Hold, Suppress {
    }

    record Send() implements Decision {
    }

    /** Wait for the owner to confirm the address. */
    record Hold(String reason) implements Decision {
    }

    record Suppress(String reason) implements Decision {
    }

    private static final Send SEND = new Send();

    private SendPolicy() {
    }

    static Decision decide(OutgoingEmail email) {
        OutgoingEmail.Recipient recipient = email.recipient();
        String suppression = suppression(recipient);
        if (suppression != null) {
            return new Suppress(suppression);
        }
        if (email.isConfirmation()) {
            return recipient.confirmed() ? new Suppress("address already confirmed") : SEND;
        }
        if (!recipient.confirmed()) {
            return new Hold("address not confirmed yet");
        }
        if (!recipient.mailEnabled()) {
            return new Suppress("unsubscribed from everything");
        }
        if (recipient.mode() == ThreadMode.NONE) {
            return new Suppress("unsubscribed from this thread");
        }
        if (recipient.mode() == ThreadMode.DIRECT_REPLIES_ONLY && email.reason() != Reason.DIRECT_REPLY) {
            return new Suppress("only direct replies wanted from this thread");
        }
        return SEND;
    }

    private static String suppression(OutgoingEmail.Recipient recipient) {
        if ("HARD_BOUNCE".equals(recipient.addressSuppression())) {
            return "address suppressed after repeated hard bounces";
        }
        if (recipient.addressSuppression() != null || "OPERATOR".equals(recipient.mailboxSuppression())) {
            return "address suppressed by an operator";
        }
        if (recipient.mailboxSuppression() != null) {
            return "the address's owner asked never to be emailed";
        }
        return null;
    }
}
