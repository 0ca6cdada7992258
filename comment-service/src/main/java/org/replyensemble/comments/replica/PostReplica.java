package org.replyensemble.comments.replica;

import java.util.Optional;
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

    /** What a claim found: the next position, or why there is none. */
    public sealed interface Claim permits Position, Unknown, Closed {
    }

    public record Position(int position) implements Claim {
    }

    /** Not in the replica yet (or never): a post published a moment ago may still be on its way. */
    public record Unknown() implements Claim {
    }

    public record Closed() implements Claim {
    }

    /**
     * Hands out the post's next thread position. Lock, then check, then count: the row lock holds
     * until the caller's transaction ends, so writers of one post take turns (positions have no gaps
     * and their outbox rows commit in position order), and what decides "closed" is the very row
     * that was locked. (Counting first and looking the post up after, when the count found no row,
     * answered 409 for an open post whose event committed between the two statements.)
     */
    public Claim claimNextPosition(UUID postId) {
        Optional<Boolean> open = jdbc.sql("select comments_open from post_replica where id = ? for update")
                .param(postId)
                .query(Boolean.class)
                .optional();
        if (open.isEmpty()) {
            return new Unknown();
        }
        if (!open.get()) {
            return new Closed();
        }
        return new Position(jdbc.sql("update post_replica set comment_count = comment_count + 1 where id = ? returning comment_count")
                .param(postId)
                .query(Integer.class)
                .single());
    }
}
