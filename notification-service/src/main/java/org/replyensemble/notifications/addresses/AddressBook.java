package org.replyensemble.notifications.addresses;

import java.util.Collection;
import java.util.Optional;

import org.replyensemble.support.sql.InLists;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Every address the service has seen and what its owner proved or chose: confirmed or not, the
 * name its emails greet, global on/off, suppression (its own, or its mailbox's). Rows are created
 * the first time an address shows up; after that only the owner's links, an operator, a post's
 * authorship and the mail server's hard bounces change them, never somebody's comment.
 */
@Repository
public class AddressBook {

    /** The name emails use when nobody gave one. */
    public static final String NO_NAME = "A reader";

    /**
     * @param suppression why nothing may be sent to it (its own suppression, else its mailbox's), or null
     */
    public record AddressState(String email, String mailbox, String greetingName, boolean confirmed, boolean mailEnabled,
                               String suppression) {
    }

    private final JdbcClient jdbc;

    AddressBook(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<AddressState> find(String email) {
        return jdbc.sql("""
                select a.email, a.mailbox, a.greeting_name, a.confirmed_at is not null as confirmed, a.mail_enabled,
                       coalesce(a.suppression_reason, m.suppression_reason) as suppression
                  from address a join mailbox m on m.mailbox = a.mailbox
                 where a.email = :email
                """)
                .param("email", Addresses.normalize(email))
                .query(AddressState.class)
                .optional();
    }

    /**
     * The address's state, creating its rows (unconfirmed) the first time it is seen; {@code name}
     * is only used then (a later comment's name changes nothing).
     */
    public AddressState ensure(String email, String name) {
        return find(email).orElseGet(() -> {
            String normalized = Addresses.normalize(email);
            String mailbox = Addresses.mailboxOf(normalized);
            jdbc.sql("insert into mailbox (mailbox) values (:mailbox) on conflict do nothing").param("mailbox", mailbox).update();
            jdbc.sql("""
                    insert into address (email, mailbox, greeting_name) values (:email, :mailbox, :name)
                    on conflict (email) do nothing
                    """)
                    .param("email", normalized)
                    .param("mailbox", mailbox)
                    .param("name", name == null || name.isBlank() ? NO_NAME : name.strip())
                    .update();
            return find(normalized).orElseThrow();
        });
    }

    /**
     * Counts a permanent rejection (SMTP 5xx on the recipient) and suppresses the address once
     * {@code limit} came with no delivered email between them.
     *
     * @return true if this bounce suppressed the address
     */
    public boolean recordHardBounce(String email, int limit) {
        return jdbc.sql("""
                update address
                   set hard_bounces = hard_bounces + 1, last_hard_bounce_at = now(),
                       suppressed_at = case when suppressed_at is null and hard_bounces + 1 >= :limit then now() else suppressed_at end,
                       suppression_reason = case when suppressed_at is null and hard_bounces + 1 >= :limit then 'HARD_BOUNCE'
                                                 else suppression_reason end
                 where email = :email
                returning suppression_reason = 'HARD_BOUNCE' and hard_bounces = greatest(:limit, 1) as suppressed_now
                """)
                .param("email", Addresses.normalize(email))
                .param("limit", limit)
                .query(Boolean.class)
                .optional()
                .orElse(false);
    }

    /** A delivered email ends a run of hard bounces: only consecutive ones suppress. */
    public void clearHardBounces(Collection<String> emails) {
        if (emails.isEmpty()) {
            return;
        }
        jdbc.sql("update address set hard_bounces = 0 where email in (:emails) and hard_bounces > 0")
                .param("emails", InLists.padded(emails))
                .update();
    }
}
