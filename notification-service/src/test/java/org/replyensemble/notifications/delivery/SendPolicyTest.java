package org.replyensemble.notifications.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.replyensemble.notifications.delivery.OutgoingEmail.Recipient;
import org.replyensemble.notifications.email.ConfirmationEmail;
import org.replyensemble.notifications.email.ReplyEmail;
import org.replyensemble.notifications.preferences.ThreadMode;
import org.replyensemble.notifications.threads.Reason;

class SendPolicyTest {

    private static final Recipient CONFIRMED = new Recipient(true, true, null, null, ThreadMode.EVERY_REPLY, 0);

    private static OutgoingEmail reply(Reason reason, Recipient recipient) {
        return new OutgoingEmail(1, 0, "ann@example.org", null, recipient, new ReplyEmail(UUID.randomUUID(), UUID.randomUUID(),
                "slug", "Title", "ann@example.org", "Ann", "Paul", "text", reason, recipient.mode()), null);
    }

    private static OutgoingEmail confirmation(Recipient recipient) {
        return new OutgoingEmail(1, 0, "ann@example.org", null, recipient, null,
                new ConfirmationEmail(UUID.randomUUID(), UUID.randomUUID(), "Title", "ann@example.org", "Ann"));
    }

    private static Recipient with(boolean confirmed, boolean mailEnabled, String addressSuppression, String mailboxSuppression,
            ThreadMode mode) {
        return new Recipient(confirmed, mailEnabled, addressSuppression, mailboxSuppression, mode, 0);
    }

    @Test
    void aConfirmedSubscribedRecipientIsSent() {
        assertThat(SendPolicy.decide(reply(Reason.PARTICIPANT, CONFIRMED))).isInstanceOf(SendPolicy.Send.class);
    }

    @Test
    void anUnconfirmedRecipientIsHeld() {
        assertThat(SendPolicy.decide(reply(Reason.DIRECT_REPLY, with(false, true, null, null, ThreadMode.EVERY_REPLY))))
                .isEqualTo(new SendPolicy.Hold("address not confirmed yet"));
    }

    @Test
    void theOwnersChoicesSinceTheFanOutAreHonoured() {
        assertThat(SendPolicy.decide(reply(Reason.PARTICIPANT, with(true, false, null, null, ThreadMode.EVERY_REPLY))))
                .isEqualTo(new SendPolicy.Suppress("unsubscribed from everything"));
        assertThat(SendPolicy.decide(reply(Reason.DIRECT_REPLY, with(true, true, null, null, ThreadMode.NONE))))
                .isEqualTo(new SendPolicy.Suppress("unsubscribed from this thread"));
        assertThat(SendPolicy.decide(reply(Reason.POST_AUTHOR, with(true, true, null, null, ThreadMode.DIRECT_REPLIES_ONLY))))
                .isEqualTo(new SendPolicy.Suppress("only direct replies wanted from this thread"));
        assertThat(SendPolicy.decide(reply(Reason.DIRECT_REPLY, with(true, true, null, null, ThreadMode.DIRECT_REPLIES_ONLY))))
                .isInstanceOf(SendPolicy.Send.class);
    }

    @Test
    void aSuppressedAddressOrMailboxGetsNothingWhateverElse() {
        assertThat(SendPolicy.decide(reply(Reason.DIRECT_REPLY, with(true, true, "HARD_BOUNCE", null, ThreadMode.EVERY_REPLY))))
                .isEqualTo(new SendPolicy.Suppress("address suppressed after repeated hard bounces"));
        assertThat(SendPolicy.decide(reply(Reason.DIRECT_REPLY, with(false, true, null, "NOT_ME", ThreadMode.EVERY_REPLY))))
                .isEqualTo(new SendPolicy.Suppress("the address's owner asked never to be emailed"));
        assertThat(SendPolicy.decide(confirmation(with(false, true, null, "NOT_ME", ThreadMode.EVERY_REPLY))))
                .isInstanceOf(SendPolicy.Suppress.class);
        assertThat(SendPolicy.decide(confirmation(with(false, true, "HARD_BOUNCE", null, ThreadMode.EVERY_REPLY))))
                .isInstanceOf(SendPolicy.Suppress.class);
    }

    @Test
    void aConfirmationEmailGoesOnlyToAnAddressStillUnconfirmed() {
        assertThat(SendPolicy.decide(confirmation(with(false, true, null, null, ThreadMode.EVERY_REPLY))))
                .isInstanceOf(SendPolicy.Send.class);
        assertThat(SendPolicy.decide(confirmation(CONFIRMED))).isEqualTo(new SendPolicy.Suppress("address already confirmed"));
    }

    private static OutgoingEmail summary(Recipient recipient) {
        return new OutgoingEmail(1, 0, "ann@example.org", null, recipient, null, null,
                new org.replyensemble.notifications.email.SummaryEmail(UUID.randomUUID(), "slug", "Title", "ann@example.org", "Ann",
                        java.time.Instant.now(), java.util.List.of(), recipient.mode()));
    }

    /** A summary carries thread updates only: every choice applies to it as to one of them, and it counts towards the cap. */
    @Test
    void aSummaryIsAThreadUpdateToEveryChoiceAndCountsTowardsTheCapAsOne() {
        assertThat(SendPolicy.decide(summary(CONFIRMED))).isInstanceOf(SendPolicy.Send.class);
        assertThat(summary(CONFIRMED).countsTowardsCap()).isTrue();
        assertThat(SendPolicy.decide(summary(with(false, true, null, null, ThreadMode.EVERY_REPLY))))
                .isEqualTo(new SendPolicy.Hold("address not confirmed yet"));
        assertThat(SendPolicy.decide(summary(with(true, true, null, null, ThreadMode.NONE))))
                .isEqualTo(new SendPolicy.Suppress("unsubscribed from this thread"));
        assertThat(SendPolicy.decide(summary(with(true, false, null, null, ThreadMode.EVERY_REPLY))))
                .isEqualTo(new SendPolicy.Suppress("unsubscribed from everything"));
        assertThat(SendPolicy.decide(summary(with(true, true, null, null, ThreadMode.DIRECT_REPLIES_ONLY))))
                .isEqualTo(new SendPolicy.Suppress("only direct replies wanted from this thread"));
        assertThat(SendPolicy.decide(summary(with(true, true, null, "NOT_ME", ThreadMode.EVERY_REPLY))))
                .isEqualTo(new SendPolicy.Suppress("the address's owner asked never to be emailed"));
    }
}
