package org.replyensemble.notifications.threads;

import java.util.List;
import java.util.UUID;

import org.replyensemble.notifications.threads.RecipientRules.Candidate;
import org.replyensemble.notifications.threads.RecipientRules.Recipient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes the deliveries of one comment, a page of candidates at a time, so a thread of 100,000
 * participants never sits in memory: the candidates are read in pages (keyset on the address)
 * and each page's deliveries go in as one JDBC batch. Sending is a separate stage, any instance.
 */
@Component
class FanOut {

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final int pageSize;

    FanOut(JdbcClient jdbc, JdbcTemplate jdbcTemplate, @Value("${notifications.fan-out.page-size:1000}") int pageSize) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.pageSize = pageSize;
    }

    void fanOut(ThreadRow thread, CommentRow comment) {
        RecipientRules.Reply reply = new RecipientRules.Reply(
                comment.authorEmail(), parentAuthor(comment), thread.authorEmail());
        String after = "";
        List<Candidate> page;
        do {
            page = candidates(thread.postId(), comment.position(), after);
            if (page.isEmpty()) {
                break;
            }
            record(comment, RecipientRules.recipients(reply, page));
            after = page.get(page.size() - 1).email();
        } while (page.size() == pageSize);
    }

    private String parentAuthor(CommentRow comment) {
        if (comment.parentId() == null) {
            return null;
        }
        return jdbc.sql("select author_email from thread_comment where comment_id = :parentId and post_id = :postId")
                .param("parentId", comment.parentId())
                .param("postId", comment.postId())
                .query(String.class)
                .optional()
                .orElse(null);
    }

    /**
     * The post's author (as position 0) and everyone who commented before {@code position}, one
     * row per address carrying that address's latest name and notify flag, in address order.
     */
    private List<Candidate> candidates(UUID postId, int position, String after) {
        return jdbc.sql("""
                select a.email, a.name, a.notify, a.position,
                       exists (select 1 from unsubscription u
                                where u.email = a.email and (u.post_id = :postId or u.post_id is null)) as unsubscribed
                  from (select distinct on (email) email, name, notify, position
                          from (select author_email as email, author_name as name, true as notify, 0 as position
                                  from thread where post_id = :postId
                                union all
                                select author_email, author_name, notify, position
                                  from thread_comment where post_id = :postId and position < :position) authors
                         where email > :after
                         order by email, position desc
                         limit :pageSize) a
                 order by a.email
                """)
                .param("postId", postId)
                .param("position", position)
                .param("after", after)
                .param("pageSize", pageSize)
                .query((rs, row) -> new Candidate(rs.getString("email"), rs.getString("name"), rs.getBoolean("notify"),
                        rs.getInt("position"), rs.getBoolean("unsubscribed")))
                .list();
    }

    /** Conflicts are expected on a replay: the unique (comment, recipient) key keeps one row. */
    private void record(CommentRow comment, List<Recipient> recipients) {
        if (recipients.isEmpty()) {
            return;
        }
        jdbcTemplate.batchUpdate("""
                insert into delivery (comment_id, post_id, recipient_email, recipient_name, reason)
                values (?, ?, ?, ?, ?)
                on conflict (comment_id, recipient_email) do nothing
                """,
                recipients.stream()
                        .map(r -> new Object[] {comment.commentId(), comment.postId(), r.email(), r.name(), r.reason().name()})
                        .toList());
    }
}
