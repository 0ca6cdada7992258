package org.replyensemble.comments.comments;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.replyensemble.events.CommentEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class CommentRepository {

    private static final String COLUMNS =
            "id, post_id, parent_id, root_id, position, depth, author_name, author_email, body, notify, created_at, edited_at, deleted_at, hidden_at";

    private final JdbcClient jdbc;

    CommentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Comment comment, byte[] secretHash) {
        jdbc.sql("insert into comment (id, post_id, parent_id, root_id, position, depth, author_name, author_email, body, notify,"
                        + " created_at, edit_secret_hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(comment.id(), comment.postId(), comment.parentId(), comment.rootId(), comment.position(), comment.depth(),
                        comment.authorName(), comment.authorEmail(), comment.body(), comment.notifyOnReply(),
                        Timestamp.from(comment.createdAt()), secretHash)
                .update();
    }

    Optional<Comment> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from comment where id = ?").param(id).query(CommentRepository::map).optional();
    }

    /** The comment, locked until the caller's transaction ends (the post's replica row is locked first). */
    Optional<Comment> lock(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from comment where id = ? for update").param(id).query(CommentRepository::map)
                .optional();
    }

    /**
     * The hash of the author's secret; empty when the comment is unknown, no bytes for a comment
     * posted before secrets existed (no secret matches it).
     */
    Optional<byte[]> secretHash(UUID id) {
        return jdbc.sql("select coalesce(edit_secret_hash, ''::bytea) as hash from comment where id = ?").param(id)
                .query((rs, row) -> rs.getBytes("hash")).optional();
    }

    void updateBody(UUID id, String body, Instant editedAt) {
        jdbc.sql("update comment set body = ?, edited_at = ? where id = ?").params(body, Timestamp.from(editedAt), id).update();
    }

    /** The name and text go; the place, the address and the notify flag stay (see V4__edits_and_deletions.sql). */
    void markDeleted(UUID id, Instant deletedAt) {
        jdbc.sql("update comment set author_name = ?, body = '', deleted_at = ? where id = ?")
                .params(CommentEvent.DELETED_NAME, Timestamp.from(deletedAt), id).update();
    }

    /** Hides the comment for a moderator's account (its id, never an address), or shows it again ({@code at} null). */
    void setHidden(UUID id, Instant at, String accountId) {
        jdbc.sql("update comment set hidden_at = ?, hidden_by = ? where id = ?")
                .params(at == null ? null : Timestamp.from(at), at == null ? null : accountId, id).update();
    }

    /** A slice of the thread, in thread order (by position, along the (post_id, position) index). */
    List<Comment> thread(UUID postId, long offset, int limit) {
        return jdbc.sql("select " + COLUMNS + " from comment where post_id = ? order by position offset ? limit ?")
                .params(postId, offset, limit).query(CommentRepository::map).list();
    }

    long countInThread(UUID postId) {
        return jdbc.sql("select count(*) from comment where post_id = ?").param(postId).query(Long.class).single();
    }

    private static Comment map(ResultSet rs, int row) throws SQLException {
        Timestamp edited = rs.getTimestamp("edited_at");
        Timestamp deleted = rs.getTimestamp("deleted_at");
        Timestamp hidden = rs.getTimestamp("hidden_at");
        return new Comment(rs.getObject("id", UUID.class), rs.getObject("post_id", UUID.class),
                rs.getObject("parent_id", UUID.class), rs.getObject("root_id", UUID.class), rs.getInt("position"), rs.getInt("depth"),
                rs.getString("author_name"), rs.getString("author_email"), rs.getString("body"),
                rs.getBoolean("notify"), rs.getTimestamp("created_at").toInstant(),
                edited == null ? null : edited.toInstant(), deleted == null ? null : deleted.toInstant(),
                hidden == null ? null : hidden.toInstant());
    }
}
