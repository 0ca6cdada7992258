package org.replyensemble.notifications.confirmations;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.replyensemble.notifications.addresses.AddressBook.AddressState;
import org.replyensemble.notifications.confirmations.ConfirmationCaps.Decision;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The thread stage asks here when an unconfirmed address writes a comment that wants reply
 * emails: the address gets one confirmation email, within its mailbox's caps. Nobody else's
 * comment ever asks for it, so a mailbox that never confirmed is mailed only because of comments
 * written with its own addresses, and at most as the caps allow.
 *
 * <p>The email is a row in the delivery log (reason CONFIRMATION, keyed by the comment and the
 * address), sent by the same sender with the same claims and retries as every reply email. The
 * mailbox row is locked while deciding, so the caps hold across threads and instances.
 */
@Component
public class ConfirmationRequests {

    private final JdbcClient jdbc;
    private final ConfirmationProperties properties;
    private final Map<Decision, Counter> outcomes = new EnumMap<>(Decision.class);

    ConfirmationRequests(JdbcClient jdbc, ConfirmationProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.properties = properties;
        for (Decision decision : Decision.values()) {
            outcomes.put(decision, Counter.builder("notifications.confirmations.requested")
                    .description("Confirmation emails asked for by comments of unconfirmed addresses, by decision")
                    .tag("decision", decision.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .register(meters));
        }
    }

    private record MailboxState(Timestamp lastConfirmationAt, int unansweredConfirmations, boolean suppressed, Timestamp now) {
    }

    /** Inside the thread stage's transaction, for the comment {@code commentId} by {@code author} (unconfirmed). */
    public Decision request(AddressState author, UUID commentId, UUID postId, String name) {
        MailboxState mailbox = jdbc.sql("""
                select last_confirmation_at, unanswered_confirmations, suppression_reason is not null as suppressed, now() as now
                  from mailbox where mailbox = :mailbox for update
                """)
                .param("mailbox", author.mailbox())
                .query(MailboxState.class)
                .single();
        Decision decision = ConfirmationCaps.decide(mailbox.now().toInstant(), instant(mailbox.lastConfirmationAt()),
                mailbox.unansweredConfirmations(), mailbox.suppressed() || author.suppression() != null,
                properties.mailboxInterval(), properties.unansweredLimit());
        if (decision == Decision.SEND && recordEmail(author, commentId, postId, name)) {
            jdbc.sql("""
                    update mailbox set confirmation_mails = confirmation_mails + 1,
                           unanswered_confirmations = unanswered_confirmations + 1, last_confirmation_at = now()
                     where mailbox = :mailbox
                    """)
                    .param("mailbox", author.mailbox())
                    .update();
            jdbc.sql("""
                    update address set confirmation_mails = confirmation_mails + 1, last_confirmation_at = now()
                     where email = :email
                    """)
                    .param("email", author.email())
                    .update();
        }
        outcomes.get(decision).increment();
        return decision;
    }

    /** The unique (comment, recipient) key makes a replayed comment ask nothing twice. */
    private boolean recordEmail(AddressState author, UUID commentId, UUID postId, String name) {
        return jdbc.sql("""
                insert into delivery (comment_id, post_id, recipient_email, recipient_name, reason)
                values (:commentId, :postId, :email, :name, 'CONFIRMATION')
                on conflict (comment_id, recipient_email) do nothing
                """)
                .param("commentId", commentId)
                .param("postId", postId)
                .param("email", author.email())
                .param("name", name)
                .update() > 0;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
