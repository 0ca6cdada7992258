package org.replyensemble.examples.commentevents;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** This consumer's own state: per post, how many comments and when the latest came. */
@Repository
class PostActivity {

    record Activity(UUID postId, int comments, int lastPosition, Instant lastCommentAt) {
    }

    private final JdbcClient jdbc;

    PostActivity(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Counts the comment once. The event id is recorded in the same transaction as the count: a
     * redelivered event (a producer's retry, a rebalance, a replay of the topic) finds its id and
     * changes nothing, and a crash in between rolls both back, so the redelivery counts it then.
     */
    @Transactional
    boolean record(CommentPosted event) {
        int firstTime = jdbc.sql("insert into processed_event (event_id) values (:eventId) on conflict do nothing")
                .param("eventId", event.eventId())
                .update();
        if (firstTime == 0) {
            return false;
        }
        Instant at = event.comment().createdAt();
        jdbc.sql("""
                insert into post_activity (post_id, comments, last_position, last_comment_at)
                values (:postId, 1, :position, :at)
                on conflict (post_id) do update
                   set comments = post_activity.comments + 1,
                       last_position = greatest(post_activity.last_position, excluded.last_position),
                       last_comment_at = greatest(post_activity.last_comment_at, excluded.last_comment_at)
                """)
                .param("postId", event.postId())
                .param("position", event.comment().position())
                .param("at", at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .update();
        return true;
    }

    Optional<Activity> of(UUID postId) {
        return jdbc.sql("select post_id, comments, last_position, last_comment_at from post_activity where post_id = :postId")
                .param("postId", postId)
                .query((rs, n) -> new Activity(rs.getObject("post_id", UUID.class), rs.getInt("comments"), rs.getInt("last_position"),
                        rs.getObject("last_comment_at", OffsetDateTime.class) == null ? null
                                : rs.getObject("last_comment_at", OffsetDateTime.class).toInstant()))
                .optional();
    }
}
