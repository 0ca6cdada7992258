package org.replyensemble.notifications.confirmations;

import io.micrometer.core.instrument.MeterRegistry;
import org.replyensemble.notifications.addresses.AddressBook;
import org.replyensemble.notifications.addresses.Addresses;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Confirming an address (once, for every thread) and releasing what was held for it; and the
 * opposite, "this was not me": its mailbox is never emailed again.
 *
 * <p><b>The race with the fan-out.</b> A fan-out that read the address as unconfirmed writes a
 * HELD delivery; a confirmation committing at the same moment would release the HELD rows it can
 * see and miss that one, which would wait until it is dropped. Closed with a lock rather than a
 * sweep (no delay, no extra polling): the fan-out locks the address rows of the recipients it is
 * about to hold ({@code FOR SHARE}) and re-reads them, and the confirmation writes the address row
 * ({@code FOR UPDATE}, by its upsert) before it releases the held rows. Whichever comes second
 * waits for the other's commit: a confirmation that comes second then sees, and releases, the
 * fan-out's rows (each statement of a READ COMMITTED transaction sees what committed before it
 * began); a fan-out that comes second reads the address as confirmed and writes PENDING rows.
 * {@code HeldReleaseRaceTest} holds a fan-out open and confirms meanwhile.
 */
@Service
public class Confirmations {

    /** @param released held deliveries now on their way */
    public record Confirmed(String email, boolean newlyConfirmed, int released) {
    }

    private final JdbcClient jdbc;
    private final org.replyensemble.notifications.erasure.Erasures erasures;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final MeterRegistry meters;

    Confirmations(JdbcClient jdbc, ApplicationEventPublisher events, TransactionTemplate transactions, MeterRegistry meters,
            org.replyensemble.notifications.erasure.Erasures erasures) {
        this.erasures = erasures;
        this.jdbc = jdbc;
        this.events = events;
        this.transactions = transactions;
        this.meters = meters;
    }

    /**
     * The owner confirmed through a link, or an operator did. The greeting name becomes {@code name}
     * (the name the asking comment gave, for a link; an operator's, if given) unless the address was
     * confirmed before: a confirmed address's name is never changed by this.
     */
    public Confirmed confirm(String email, String name, ConfirmedBy by) {
        String normalized = Addresses.normalize(email);
        Confirmed confirmed = transactions.execute(status -> confirmInTransaction(normalized, name, by));
        if (confirmed.newlyConfirmed()) {
            // The mailbox's counters after the commit, in a transaction of its own: taking the mailbox
            // lock after the address lock inside one transaction could deadlock with a thread stage
            // that holds a mailbox (asking for a confirmation) and then wants this address.
            jdbc.sql("""
                    update mailbox set unanswered_confirmations = 0,
                           suppressed_at = case when :lift then null else suppressed_at end,
                           suppression_reason = case when :lift then null else suppression_reason end
                     where mailbox = :mailbox
                    """)
                    .param("lift", by == ConfirmedBy.LINK)
                    .param("mailbox", Addresses.mailboxOf(normalized))
                    .update();
            meters.counter("notifications.addresses.confirmed", "by", by.name().toLowerCase()).increment();
        }
        return confirmed;
    }

    /**
     * A post's author: post-service accepts posts only from authenticated accounts and takes the
     * author's address from the account, so that address counts as confirmed, greeted with the
     * account's name. Runs inside the thread stage's transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Confirmed confirmPostAuthor(String email, String name) {
        return confirmInTransaction(Addresses.normalize(email), name, ConfirmedBy.POST_AUTHOR);
    }

    private Confirmed confirmInTransaction(String email, String name, ConfirmedBy by) {
        if (erasures.isErased(email)) {
            // An old link (or an operator) must not bring an erased address back: nothing is stored.
            return new Confirmed(email, false, 0);
        }
        String mailbox = Addresses.mailboxOf(email);
        jdbc.sql("insert into mailbox (mailbox) values (:mailbox) on conflict do nothing").param("mailbox", mailbox).update();
        // The upsert locks the address row even when it was confirmed already (and updates nothing then).
        boolean newly = jdbc.sql("""
                insert into address (email, mailbox, greeting_name, confirmed_at, confirmed_by)
                values (:email, :mailbox, coalesce(cast(:name as text), :noName), now(), :by)
                on conflict (email) do update
                   set confirmed_at = now(), confirmed_by = excluded.confirmed_by,
                       greeting_name = coalesce(cast(:name as text), address.greeting_name)
                 where address.confirmed_at is null
                returning email
                """)
                .param("email", email)
                .param("mailbox", mailbox)
                .param("name", name == null || name.isBlank() ? null : name.strip())
                .param("noName", AddressBook.NO_NAME)
                .param("by", by.name())
                .query(String.class)
                .optional()
                .isPresent();
        int released = jdbc.sql("""
                update delivery set status = 'PENDING', status_reason = null,
                       -- A flood-control summary still goes when its window closes (next_attempt_at), not before.
                       next_attempt_at = case when reason = 'SUMMARY' then greatest(next_attempt_at, now()) else now() end
                 where recipient_email = :email and status = 'HELD'
                """)
                .param("email", email)
                .update();
        if (released > 0) {
            events.publishEvent(new DeliveriesReleased(released));
        }
        return new Confirmed(email, newly, released);
    }

    /**
     * "This was not me, never email me", from the confirmation page: the whole mailbox (every
     * plus-variant) is suppressed and what was held for it is dropped. Lifted only by the owner
     * confirming an address of it through a link later.
     *
     * @return the deliveries dropped
     */
    @Transactional
    public int notMe(String email) {
        String mailbox = Addresses.mailboxOf(email);
        jdbc.sql("insert into mailbox (mailbox) values (:mailbox) on conflict do nothing").param("mailbox", mailbox).update();
        jdbc.sql("""
                update mailbox set suppressed_at = now(), suppression_reason = 'NOT_ME'
                 where mailbox = :mailbox and suppressed_at is null
                """)
                .param("mailbox", mailbox)
                .update();
        int dropped = jdbc.sql("""
                update delivery set status = 'DROPPED', status_reason = 'the address''s owner asked never to be emailed'
                 where status = 'HELD' and recipient_email in (select email from address where mailbox = :mailbox)
                """)
                .param("mailbox", mailbox)
                .update();
        meters.counter("notifications.addresses.suppressed", "reason", "not-me").increment();
        return dropped;
    }
}
