package org.replyensemble.comments.comments;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads a thread the way the pages show it: a page of top-level comments, each with the first
 * replies of its subtree, and the rest of a long subtree on pages of its own. Every read follows
 * an index (comment_roots, comment_subtree), so a page costs the same in a thread of 10 comments
 * and in one of 10,000.
 *
 * <p>The first {@code n} replies of a subtree by position always form a connected tree with their
 * top-level comment: a reply is accepted after its parent, so its position is higher.
 */
@Service
public class ThreadReader {

    /** A hidden comment's name and text are never read here: no page can show them. */
    private static final String COLUMNS = "id, post_id, parent_id, root_id, position, depth,"
            + " case when hidden_at is null then author_name else '" + CommentView.HIDDEN_NAME + "' end as author_name,"
            + " case when hidden_at is null then body else '' end as body, created_at, edited_at, deleted_at, hidden_at";

    /** A top-level comment with the first replies of its subtree (position order) and how many it has in all. */
    public record Root(PublicComment comment, List<PublicComment> firstReplies, int replyCount) {
    }

    /** Where a comment is shown: its top-level comment's index among the thread's, and its index in that subtree. */
    public record Location(PublicComment comment, UUID rootId, long rootIndex, long indexInSubtree) {
    }

    private final JdbcClient jdbc;

    ThreadReader(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public long countRoots(UUID postId) {
        return jdbc.sql("select count(*) from comment where post_id = ? and parent_id is null")
                .param(postId).query(Long.class).single();
    }

    /** Top-level comments {@code offset..offset+limit} in thread order, each with up to {@code repliesEach} replies. */
    @Transactional(readOnly = true)
    public List<Root> roots(UUID postId, long offset, int limit, int repliesEach) {
        List<PublicComment> roots = jdbc.sql("select " + COLUMNS + " from comment where post_id = ? and parent_id is null"
                        + " order by position offset ? limit ?")
                .params(postId, offset, limit).query(ThreadReader::map).list();
        if (roots.isEmpty()) {
            return List.of();
        }
        UUID[] ids = roots.stream().map(PublicComment::id).toArray(UUID[]::new);
        Map<UUID, List<PublicComment>> replies = new HashMap<>();
        jdbc.sql("select r.* from unnest(?::uuid[]) as root(id) cross join lateral (select " + COLUMNS
                        + " from comment where root_id = root.id order by position limit ?) r")
                .params(ids, repliesEach).query(ThreadReader::map).list()
                .forEach(reply -> replies.computeIfAbsent(reply.rootId(), root -> new ArrayList<>()).add(reply));
        Map<UUID, Integer> counts = new HashMap<>();
        jdbc.sql("select root_id, count(*) as replies from comment where root_id = any(?) group by root_id")
                .param(ids).query((rs, row) -> counts.put(rs.getObject("root_id", UUID.class), rs.getInt("replies"))).list();
        return roots.stream().map(root -> new Root(root, replies.getOrDefault(root.id(), List.of()),
                counts.getOrDefault(root.id(), 0))).toList();
    }

    /** Replies {@code offset..offset+limit} of one top-level comment's subtree, in position order. */
    @Transactional(readOnly = true)
    public List<PublicComment> replies(UUID rootId, long offset, int limit) {
        return jdbc.sql("select " + COLUMNS + " from comment where root_id = ? order by position offset ? limit ?")
                .params(rootId, offset, limit).query(ThreadReader::map).list();
    }

    @Transactional(readOnly = true)
    public long countReplies(UUID rootId) {
        return jdbc.sql("select count(*) from comment where root_id = ?").param(rootId).query(Long.class).single();
    }

    @Transactional(readOnly = true)
    public Optional<PublicComment> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from comment where id = ?").param(id).query(ThreadReader::map).optional();
    }

    /** The names of these comments' authors (for "in reply to" when the parent is on another page). */
    @Transactional(readOnly = true)
    public Map<UUID, String> authorNames(Collection<UUID> ids) {
        Map<UUID, String> names = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return names;
        }
        jdbc.sql("select id, case when hidden_at is null then author_name else '" + CommentView.HIDDEN_NAME
                        + "' end as author_name from comment where id = any(?)").param(ids.toArray(UUID[]::new))
                .query((rs, row) -> names.put(rs.getObject("id", UUID.class), rs.getString("author_name"))).list();
        return names;
    }

    /** Where the pages show comment {@code id} of post {@code postId}; empty when it is not in that thread. */
    @Transactional(readOnly = true)
    public Optional<Location> locate(UUID postId, UUID id) {
        return find(id).filter(comment -> comment.postId().equals(postId)).map(comment -> {
            PublicComment root = comment.topLevel() ? comment : find(comment.rootId()).orElseThrow();
            long rootIndex = jdbc.sql("select count(*) from comment where post_id = ? and parent_id is null and position < ?")
                    .params(postId, root.position()).query(Long.class).single();
            long indexInSubtree = comment.topLevel() ? -1
                    : jdbc.sql("select count(*) from comment where root_id = ? and position < ?")
                            .params(root.id(), comment.position()).query(Long.class).single();
            return new Location(comment, root.id(), rootIndex, indexInSubtree);
        });
    }

    private static PublicComment map(ResultSet rs, int row) throws SQLException {
        return new PublicComment(rs.getObject("id", UUID.class), rs.getObject("post_id", UUID.class),
                rs.getObject("parent_id", UUID.class), rs.getObject("root_id", UUID.class), rs.getInt("position"),
                rs.getInt("depth"), rs.getString("author_name"), rs.getString("body"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("edited_at") == null ? null : rs.getTimestamp("edited_at").toInstant(), rs.getTimestamp("deleted_at") != null,
                rs.getTimestamp("hidden_at") != null && rs.getTimestamp("deleted_at") == null);
    }
}
