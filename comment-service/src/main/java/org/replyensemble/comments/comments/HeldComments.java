package org.replyensemble.comments.comments;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Repository;

/**
 * Comments of first-time commenters on posts that hold them, waiting for a moderator, and each
 * post's setting (see V6__held_comments.sql). A held comment is not public and has no event.
 */
@Repository
class HeldComments {

    /** A comment waiting for approval, as stored. */
    record Held(UUID id, UUID postId, UUID parentId, String authorName, String authorEmail, String body, boolean notifyOnReply,
                Instant createdAt, byte[] secretHash) {
    }

    private static final String COLUMNS = "id, post_id, parent_id, author_name, author_email, body, notify, created_at, edit_secret_hash";

    private final JdbcClient jdbc;
    private final Duration keepFor;

    HeldComments(JdbcClient jdbc, @Value("${comments.held.keep-for:30d}") Duration keepFor) {
        this.jdbc = jdbc;
        this.keepFor = keepFor;
    }

    boolean holdsFirstTimeCommenters(UUID postId) {
        return jdbc.sql("select coalesce((select hold_first_time_commenters from post_moderation where post_id = ?), false)")
                .param(postId).query(Boolean.class).single();
    }

    void setHoldFirstTimeCommenters(UUID postId, boolean hold, String accountId) {
        jdbc.sql("""
                insert into post_moderation (post_id, hold_first_time_commenters, updated_at, updated_by) values (?, ?, now(), ?)
                on conflict (post_id) do update set hold_first_time_commenters = excluded.hold_first_time_commenters,
                        updated_at = excluded.updated_at, updated_by = excluded.updated_by""")
                .params(postId, hold, accountId).update();
    }

    /**
     * Whether the address has had a comment accepted on this post (a comment a moderator hid does
     * not count); the caller also lets the post's author through.
     */
    boolean hasApprovedComment(UUID postId, String email) {
        return jdbc.sql("select exists (select 1 from comment where post_id = ? and lower(author_email) = lower(?) and hidden_at is null)")
                .params(postId, email.strip()).query(Boolean.class).single();
    }

    void insert(Held held) {
        jdbc.sql("insert into held_comment (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(held.id(), held.postId(), held.parentId(), held.authorName(), held.authorEmail(), held.body(),
                        held.notifyOnReply(), Timestamp.from(held.createdAt()), held.secretHash())
                .update();
    }

    Optional<Held> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from held_comment where id = ?").param(id).query(HeldComments::map).optional();
    }

    /** Takes the comment out of the queue (approved or rejected); empty when another moderator was first. */
    Optional<Held> remove(UUID id) {
        return jdbc.sql("delete from held_comment where id = ? returning " + COLUMNS).param(id).query(HeldComments::map).optional();
    }

    /** The post's queue, oldest first. */
    List<Held> queue(UUID postId) {
        return jdbc.sql("select " + COLUMNS + " from held_comment where post_id = ? order by created_at, id limit 500")
                .param(postId).query(HeldComments::map).list();
    }

    /**
     * A queue nobody looks at must not keep addresses for ever: comments nobody approved within
     * {@code comments.held.keep-for} (30 days by default) are dropped, a thousand at a time.
     */
    @Scheduled(fixedDelayString = "${comments.held.clean-every:PT1H}", initialDelayString = "PT5M")
    void dropForgotten() {
        Timestamp before = Timestamp.from(Instant.now().minus(keepFor));
        while (jdbc.sql("delete from held_comment where id in (select id from held_comment where created_at < ? limit 1000)")
                .param(before).update() == 1000) {
            // another batch: each delete is its own short transaction
        }
    }

    private static Held map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Held(rs.getObject("id", UUID.class), rs.getObject("post_id", UUID.class), rs.getObject("parent_id", UUID.class),
                rs.getString("author_name"), rs.getString("author_email"), rs.getString("body"), rs.getBoolean("notify"),
                rs.getTimestamp("created_at").toInstant(), rs.getBytes("edit_secret_hash"));
    }
}
