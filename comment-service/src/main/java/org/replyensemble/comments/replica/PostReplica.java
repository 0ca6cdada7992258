package org.replyensemble.comments.replica;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import org.replyensemble.events.PostEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The posts as comment-service knows them: from the post topic, never from a call to post-service. */
@Repository
public class PostReplica {

    /** What the comments need to know about a post. */
    public record ReplicatedPost(UUID id, String slug, String title, boolean commentsOpen, long revision) {
    }

    private final JdbcClient jdbc;

    PostReplica(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Keeps the state only if it is newer than the one held, so a redelivered or stale event
     * (replayed topic, reordering across a rebalance) changes nothing. Returns whether it was applied.
     */
    boolean apply(PostEvent.PostState post) {
        return jdbc.sql("""
                insert into post_replica (id, slug, title, comments_open, revision) values (?, ?, ?, ?, ?)
                on conflict (id) do update
                    set slug = excluded.slug, title = excluded.title,
                        comments_open = excluded.comments_open, revision = excluded.revision
                    where post_replica.revision < excluded.revision""")
                .params(post.id(), post.slug(), post.title(), post.commentsOpen(), post.revision())
                .update() == 1;
    }

    public Optional<ReplicatedPost> find(UUID id) {
        return jdbc.sql("select id, slug, title, comments_open, revision from post_replica where id = ?")
                .param(id)
                .query((rs, row) -> new ReplicatedPost(rs.getObject("id", UUID.class), rs.getString("slug"),
                        rs.getString("title"), rs.getBoolean("comments_open"), rs.getLong("revision")))
                .optional();
    }

    /**
     * Hands out the post's next thread position, or nothing when the post is unknown or closed.
     * The update keeps the post's row locked until the caller's transaction ends: writers of one
     * post take turns, so positions have no gaps and their outbox rows commit in position order.
     */
    public OptionalInt claimNextPosition(UUID postId) {
        return jdbc.sql("update post_replica set comment_count = comment_count + 1 where id = ? and comments_open returning comment_count")
                .param(postId)
                .query(Integer.class)
                .optional()
                .map(OptionalInt::of).orElse(OptionalInt.empty());
    }
}
