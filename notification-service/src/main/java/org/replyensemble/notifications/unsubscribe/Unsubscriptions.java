package org.replyensemble.notifications.unsubscribe;

import java.util.Optional;
import java.util.UUID;

import org.replyensemble.notifications.addresses.Addresses;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Who asked to stop, for one thread or for everything. The fan-out and the sender both honour it. */
@Repository
public class Unsubscriptions {

    private final JdbcClient jdbc;

    Unsubscriptions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Idempotent: a second click (or a link scanner's POST) records nothing new. */
    public void record(UnsubscribeScope scope) {
        jdbc.sql("insert into unsubscription (email, post_id) values (:email, :postId) on conflict do nothing")
                .param("email", Addresses.normalize(scope.email()))
                .param("postId", scope.postId())
                .update();
    }

    public boolean isUnsubscribed(String email, UUID postId) {
        return jdbc.sql("""
                select exists (select 1 from unsubscription
                                where email = :email and (post_id = :postId or post_id is null))
                """)
                .param("email", Addresses.normalize(email))
                .param("postId", postId)
                .query(Boolean.class)
                .single();
    }

    /** For the confirmation page: the title of the post a per-thread link is about, if known. */
    public Optional<String> postTitle(UUID postId) {
        return jdbc.sql("select title from thread where post_id = :postId")
                .param("postId", postId)
                .query(String.class)
                .optional();
    }
}
