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
            "id, post_id, parent_id, position, depth, author_name, author_email, body, notify, created_at";

    private final JdbcClient jdbc;

    CommentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Comment comment) {
        jdbc.sql("insert into comment (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(comment.id(), comment.postId(), comment.parentId(), comment.position(), comment.depth(),
                        comment.authorName(), comment.authorEmail(), comment.body(), comment.notifyOnReply(),
                        Timestamp.from(comment.createdAt()))
                .update();
    }

    Optional<Comment> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from comment where id = ?").param(id).query(CommentRepository::map).optional();
    }

    /** The thread order: by position. */
    List<Comment> thread(UUID postId) {
        return jdbc.sql("select " + COLUMNS + " from comment where post_id = ? order by position")
                .param(postId).query(CommentRepository::map).list();
    }

    private static Comment map(ResultSet rs, int row) throws SQLException {
        return new Comment(rs.getObject("id", UUID.class), rs.getObject("post_id", UUID.class),
                rs.getObject("parent_id", UUID.class), rs.getInt("position"), rs.getInt("depth"),
                rs.getString("author_name"), rs.getString("author_email"), rs.getString("body"),
                rs.getBoolean("notify"), rs.getTimestamp("created_at").toInstant());
    }
}
