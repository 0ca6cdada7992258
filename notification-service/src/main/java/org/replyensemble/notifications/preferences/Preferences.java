package org.replyensemble.notifications.preferences;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.replyensemble.notifications.addresses.AddressBook;
import org.replyensemble.notifications.addresses.Addresses;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * What each owner chose to receive: a mode per thread and an on/off for everything. Only links
 * mailed to the address (unsubscribe, later the settings page), an operator, and the owner's own
 * confirmed comment asking for replies change it; the fan-out and the sender both honour it.
 */
@Repository
public class Preferences {

    private final JdbcClient jdbc;
    private final AddressBook addresses;
    private final org.replyensemble.notifications.erasure.Erasures erasures;

    Preferences(JdbcClient jdbc, AddressBook addresses, org.replyensemble.notifications.erasure.Erasures erasures) {
        this.erasures = erasures;
        this.jdbc = jdbc;
        this.addresses = addresses;
    }

    /** Idempotent: a second click (or a link scanner's POST) changes nothing more. */
    public void setThreadMode(String email, UUID postId, ThreadMode mode) {
        if (erasures.isErased(Addresses.normalize(email))) {
            return; // an old link of an erased address: it is never mailed anyway, and nothing may store it again
        }
        jdbc.sql("""
                insert into thread_preference (email, post_id, mode) values (:email, :postId, :mode)
                on conflict (email, post_id) do update set mode = excluded.mode, updated_at = now()
                 where thread_preference.mode <> excluded.mode
                """)
                .param("email", Addresses.normalize(email))
                .param("postId", postId)
                .param("mode", mode.name())
                .update();
    }

    public ThreadMode threadMode(String email, UUID postId) {
        return jdbc.sql("select mode from thread_preference where email = :email and post_id = :postId")
                .param("email", Addresses.normalize(email))
                .param("postId", postId)
                .query(String.class)
                .optional()
                .map(ThreadMode::valueOf)
                .orElse(ThreadMode.EVERY_REPLY);
    }

    /** Unsubscribe from everything: the global off. */
    @Transactional
    public void turnOffEverything(String email) {
        addresses.ensure(email, null);
        jdbc.sql("update address set mail_enabled = false where email = :email and mail_enabled")
                .param("email", Addresses.normalize(email))
                .update();
    }

    /** The settings page's "for everything: on / off"; suppression (bounces, "not me") is apart and stays. */
    @Transactional
    public void setMailEnabled(String email, boolean enabled) {
        addresses.ensure(email, null);
        jdbc.sql("update address set mail_enabled = :enabled where email = :email and mail_enabled <> :enabled")
                .param("email", Addresses.normalize(email))
                .param("enabled", enabled)
                .update();
    }

    /**
     * A confirmed owner's comment asking for replies, written after they unsubscribed from its
     * thread, subscribes them again (issue 7): the thread's NONE goes; "only direct replies" stays,
     * being a subscription already. "Written after" by the comment's own time, not by when the
     * thread stage gets to it: a comment still queued when its author unsubscribes does not undo that.
     */
    public boolean resubscribe(String email, UUID postId, Instant commentWrittenAt) {
        return jdbc.sql("""
                delete from thread_preference
                 where email = :email and post_id = :postId and mode = 'NONE' and updated_at < :writtenAt
                """)
                .param("email", Addresses.normalize(email))
                .param("postId", postId)
                .param("writtenAt", Timestamp.from(commentWrittenAt))
                .update() > 0;
    }

    /** For the pages: the title of the post a per-thread link is about, if known. */
    public Optional<String> postTitle(UUID postId) {
        return jdbc.sql("select title from thread where post_id = :postId")
                .param("postId", postId)
                .query(String.class)
                .optional();
    }
}
