package org.replyensemble.comments.comments;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class CommentRepository {

    private static final String COLUMNS =
            "id, post_id, parent_id, root_id, position, depth, author_name, author_email, body, notify, created_at";

    private final JdbcClient jdbc;

    CommentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Comment comment) {
        jdbc.sql("insert into comment (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(comment.id(), comment.postId(), comment.parentId(), comment.rootId(), comment.position(), comment.depth(),
                        comment.authorName(), comment.authorEmail(), comment.body(), comment.notifyOnReply(),
                        Timestamp.from(comment.createdAt()))
                .update();
    }

    Optional<Comment> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from comment where id = ?").param(id).query(CommentRepository::map).optional();
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
        return new Comment(rs.getObject("id", UUID.class), rs.getObject("post_id", UUID.class),
                rs.getObject("parent_id", UUID.class), rs.getObject("root_id", UUID.class), rs.getInt("position"), rs.getInt("depth"),
                rs.getString("author_name"), rs.getString("author_email"), rs.getString("body"),
                rs.getBoolean("notify"), rs.getTimestamp("created_at").toInstant());
    }
}
