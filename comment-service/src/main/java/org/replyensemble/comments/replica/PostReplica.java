package org.replyensemble.comments.replica;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.replyensemble.events.PostEvent;
import org.replyensemble.support.security.Account;
import org.replyensemble.support.security.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The posts as comment-service knows them: from the post topic, never from a call to post-service. */
@Repository
public class PostReplica {

    /** What the comments need to know about a post. */
    public record ReplicatedPost(UUID id, String slug, String title, boolean commentsOpen, long revision) {
    }

    /**
     * What the pages show of a post: never its author's address (the events carry it; this table
     * keeps it only to know who moderates the post's comments, see {@link #moderates}). {@code body}, {@code authorName} and {@code publishedAt} are null until the
     * post's event has been read since they were added.
     */
    public record PublishedPost(UUID id, String slug, String title, String body, String authorName, Instant publishedAt,
                                boolean commentsOpen, int commentCount) {
    }

    private static final String PUBLISHED_COLUMNS =
            "id, slug, title, body, author_name, published_at, comments_open, comment_count";

    private final JdbcClient jdbc;

    PostReplica(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Keeps the state only if it is newer than the one held, so a redelivered or stale event
     * (replayed topic, reordering across a rebalance) changes nothing. Returns whether it was applied.
     */
    boolean apply(PostEvent.PostState post) {
        // The same revision again applies only to a row that lacks the page columns (written before
        // they existed): that is how a replay of the topic fills them without undoing anything.
        return jdbc.sql("""
                insert into post_replica (id, slug, title, comments_open, revision, body, author_name, published_at, author_email)
                values (?, ?, ?, ?, ?, ?, ?, ?, lower(trim(?)))
                on conflict (id) do update
                    set slug = excluded.slug, title = excluded.title,
                        comments_open = excluded.comments_open, revision = excluded.revision,
                        body = excluded.body, author_name = excluded.author_name, published_at = excluded.published_at,
                        author_email = excluded.author_email
                    where post_replica.revision < excluded.revision
                       or (post_replica.revision = excluded.revision
                           and (post_replica.body is null or post_replica.author_email is null))""")
                .params(post.id(), post.slug(), post.title(), post.commentsOpen(), post.revision(),
                        post.body() == null ? "" : post.body(), // never null once read: null marks a row to backfill
                        post.author() == null ? null : post.author().name(),
                        post.publishedAt() == null ? null : Timestamp.from(post.publishedAt()),
                        post.author() == null ? null : post.author().email())
                .update() == 1;
    }

    /** Rows written before the page columns existed: the topic is read again from its start to fill them. */
    boolean needsBackfill() {
        return jdbc.sql("select exists (select 1 from post_replica where body is null or author_email is null)")
                .query(Boolean.class).single();
    }

    /** The post at {@code /posts/{slug}}; should two rows share a slug for a moment, the newest. */
    public Optional<PublishedPost> findBySlug(String slug) {
        return jdbc.sql("select " + PUBLISHED_COLUMNS + " from post_replica where slug = ?"
                        + " order by published_at desc nulls last, id limit 1")
                .param(slug).query(PostReplica::published).optional();
    }

    /** The home page: newest first, along the post_replica_newest index. */
    public List<PublishedPost> newest(long offset, int limit) {
        return jdbc.sql("select " + PUBLISHED_COLUMNS + " from post_replica order by published_at desc nulls last, id"
                        + " offset ? limit ?")
                .params(offset, limit).query(PostReplica::published).list();
    }

    public long count() {
        return jdbc.sql("select count(*) from post_replica").query(Long.class).single();
    }

    private static PublishedPost published(ResultSet rs, int row) throws SQLException {
        Timestamp published = rs.getTimestamp("published_at");
        return new PublishedPost(rs.getObject("id", UUID.class), rs.getString("slug"), rs.getString("title"),
                rs.getString("body"), rs.getString("author_name"), published == null ? null : published.toInstant(),
                rs.getBoolean("comments_open"), rs.getInt("comment_count"));
    }

    public Optional<ReplicatedPost> find(UUID id) {
        return jdbc.sql("select id, slug, title, comments_open, revision from post_replica where id = ?")
                .param(id)
                .query((rs, row) -> new ReplicatedPost(rs.getObject("id", UUID.class), rs.getString("slug"),
                        rs.getString("title"), rs.getBoolean("comments_open"), rs.getLong("revision")))
                .optional();
    }

    /**
     * Locks the post's row until the caller's transaction ends, as {@link #claimNextPosition} does:
     * an edit or deletion of one of its comments takes its turn with the post's new comments, so
     * every event of the post reaches the outbox in the order the changes committed.
     */
    public void lock(UUID postId) {
        jdbc.sql("select id from post_replica where id = ? for update").param(postId).query(UUID.class).optional();
    }

    /**
     * Whether this account moderates the post's comments: an operator any post's, an author the
     * posts whose author address is the account's (post-service takes it from the account). The
     * address is compared here and never leaves this table.
     */
    public boolean moderates(UUID postId, Account account) {
        if (account.hasRole(Role.OPERATOR)) {
            return true;
        }
        if (!account.hasRole(Role.AUTHOR) || account.email() == null) {
            return false;
        }
        return jdbc.sql("select exists (select 1 from post_replica where id = ? and author_email = lower(trim(?)))")
                .params(postId, account.email()).query(Boolean.class).single();
    }

    /** Whether the address is the post's author's (who is never held for approval on their own post). */
    public boolean authoredBy(UUID postId, String email) {
        return jdbc.sql("select exists (select 1 from post_replica where id = ? and author_email = lower(trim(?)))")
                .params(postId, email).query(Boolean.class).single();
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
     * Hands out the post's next thread position: {@link #lockForComment}, then {@link #nextPosition}.
     */
    public Claim claimNextPosition(UUID postId) {
        return switch (lockForComment(postId)) {
            case OPEN -> nextPosition(postId);
            case CLOSED -> new Closed();
            case UNKNOWN -> new Unknown();
        };
    }

    /** Whether a post takes comments, as its locked row says. */
    public enum CommentsState {
        OPEN,
        CLOSED,
        /** Not in the replica yet (or never): a post published a moment ago may still be on its way. */
        UNKNOWN
    }

    /**
     * Locks the post's row until the caller's transaction ends and says whether it takes comments;
     * when it does, {@link #nextPosition} hands out the position under this lock.
     * Lock, then check, then count: writers of one post take turns (positions have no gaps and
     * their outbox rows commit in position order), and what decides "closed" is the very row that
     * was locked. (Counting first and looking the post up after, when the count found no row,
     * answered 409 for an open post whose event committed between the two statements.)
     */
    public CommentsState lockForComment(UUID postId) {
        Optional<Boolean> open = jdbc.sql("select comments_open from post_replica where id = ? for update")
                .param(postId)
                .query(Boolean.class)
                .optional();
        if (open.isEmpty()) {
            return CommentsState.UNKNOWN;
        }
        return open.get() ? CommentsState.OPEN : CommentsState.CLOSED;
    }

    /** The next position of a post whose row the caller's transaction locked open ({@link #lockForComment}). */
    public Position nextPosition(UUID postId) {
        return new Position(jdbc.sql("update post_replica set comment_count = comment_count + 1 where id = ? returning comment_count")
                .param(postId)
                .query(Integer.class)
                .single());
    }
}
