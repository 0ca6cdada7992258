package org.replyensemble.posts.posts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class PostRepository {

    private static final String COLUMNS = "id, slug, title, body, author_name, author_email, author_account, published_at, comments_open, revision";

    private final JdbcClient jdbc;

    PostRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** False when the slug is taken (then nothing is stored). */
    boolean insertIfSlugFree(Post post) {
        return jdbc.sql("""
                insert into post (%s) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (slug) do nothing""".formatted(COLUMNS))
                .params(post.id(), post.slug(), post.title(), post.body(), post.authorName(), post.authorEmail(), post.authorAccount(),
                        Timestamp.from(post.publishedAt()), post.commentsOpen(), post.revision())
                .update() == 1;
    }

    /** The base slug and its numbered variants (base-2, base-3...) already in use. */
    Set<String> slugsLike(String base) {
        return new HashSet<>(jdbc.sql("select slug from post where slug = ? or slug ~ ?")
                .params(base, "^" + base + "-[0-9]+$")
                .query(String.class).list());
    }

    Optional<Post> findById(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from post where id = ?").param(id).query(PostRepository::map).optional();
    }

    Optional<Post> findBySlug(String slug) {
        return jdbc.sql("select " + COLUMNS + " from post where slug = ?").param(slug).query(PostRepository::map).optional();
    }

    /** Locks the row until the transaction ends, so one post's changes (and events) are serial. */
    Optional<Post> lock(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from post where id = ? for update").param(id).query(PostRepository::map).optional();
    }

    Post updateContent(Post post) {
        return jdbc.sql("""
                update post set title = ?, body = ?, comments_open = ?, revision = revision + 1
                where id = ? returning %s""".formatted(COLUMNS))
                .params(post.title(), post.body(), post.commentsOpen(), post.id())
                .query(PostRepository::map).single();
    }

    List<Post> newestFirst(long offset, int limit) {
        return jdbc.sql("select " + COLUMNS + " from post order by published_at desc, id desc offset ? limit ?")
                .params(offset, limit).query(PostRepository::map).list();
    }

    long count() {
        return jdbc.sql("select count(*) from post").query(Long.class).single();
    }

    private static Post map(ResultSet rs, int row) throws SQLException {
        return new Post(rs.getObject("id", UUID.class), rs.getString("slug"), rs.getString("title"), rs.getString("body"),
                rs.getString("author_name"), rs.getString("author_email"), rs.getString("author_account"),
                rs.getTimestamp("published_at").toInstant(),
                rs.getBoolean("comments_open"), rs.getLong("revision"));
    }
}
