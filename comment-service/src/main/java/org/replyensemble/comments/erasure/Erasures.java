package org.replyensemble.comments.erasure;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.ErasureEvent;
import org.replyensemble.events.Person;
import org.replyensemble.support.erasure.ErasureKey;
import org.replyensemble.support.erasure.PersonalDataExport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * comment-service's part of an erasure: the person's comments stay in their threads as anonymous
 * ("[deleted]" as the name, {@link Person#ERASED_EMAIL} as the address, the text kept, as the issue
 * asks: replies stay readable), the replica forgets them as a post's author, and no outbox row
 * keeps the address. Events already on blog.comments.v1 keep it until the topic's retention (30
 * days) drops them; notification-service's suppression list covers a replay meanwhile.
 */
@Service
public class Erasures implements PersonalDataExport {

    private static final Logger log = LoggerFactory.getLogger(Erasures.class);

    /** A comment as stored, for the export. */
    public record CommentData(UUID id, UUID postId, int position, String authorName, String authorEmail, String body,
                              boolean notifyOnReply, Instant createdAt, Instant editedAt, Instant deletedAt, Instant hiddenAt) {
    }

    public record PostAuthorData(UUID postId, String slug, String title) {
    }

    /** A comment waiting for a moderator's approval: not public, never published. */
    public record HeldCommentData(UUID id, UUID postId, String authorName, String authorEmail, String body, boolean notifyOnReply,
                                  Instant createdAt) {
    }

    /** Everything comment-service holds about one address. */
    public record Export(String email, List<CommentData> comments, List<HeldCommentData> heldComments,
                         List<PostAuthorData> postsAuthored) {
    }

    /** Thrown while an outbox row with the address is not yet published: retried (the error handler) until it is. */
    static class OutboxNotYetPublished extends RuntimeException {
        OutboxNotYetPublished() {
            super("an event with the erased address is still in the outbox; the erasure is retried once it is published");
        }
    }

    private final JdbcClient jdbc;

    Erasures(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when this event was applied before (a replay): nothing is done twice. */
    @Transactional
    public boolean apply(ErasureEvent event) {
        if (event.email() == null) {
            return false; // sealed: the request it replaces was applied when it was read
        }
        String address = ErasureKey.normalize(event.email());
        // Not yet published: deleting it would lose a comment's event; rewriting it would change
        // what was said. Wait for the relay (a moment), then delete it with the rest below.
        boolean waiting = jdbc.sql("""
                select exists (select 1 from outbox_message
                                where published_at is null and position(? in lower(payload)) > 0)""")
                .param(address).query(Boolean.class).single();
        if (waiting) {
            throw new OutboxNotYetPublished();
        }
        int firstTime = jdbc.sql("insert into erasure_applied (event_id) values (?) on conflict do nothing")
                .param(event.eventId()).update();
        if (firstTime == 0) {
            return false;
        }
        int comments = jdbc.sql("""
                update comment set author_name = ?, author_email = ?
                 where lower(author_email) = ?""")
                .params(CommentEvent.DELETED_NAME, Person.ERASED_EMAIL, address).update();
        jdbc.sql("update post_replica set author_email = ? where author_email = ?")
                .params(Person.ERASED_EMAIL, address).update();
        // Held for approval, never published: nothing anywhere else knows them, so they just go.
        jdbc.sql("delete from held_comment where lower(author_email) = ?").param(address).update();
        jdbc.sql("delete from outbox_message where published_at is not null and position(? in lower(payload)) > 0")
                .param(address).update();
        log.info("Erasure {} applied: {} comment(s) now anonymous", event.subject(), comments);
        return true;
    }

    @Transactional(readOnly = true)
    @Override
    public Export export(String email) {
        String address = ErasureKey.normalize(email);
        List<CommentData> comments = jdbc.sql("""
                select id, post_id, position, author_name, author_email, body, notify, created_at, edited_at, deleted_at, hidden_at
                  from comment where lower(author_email) = ? order by created_at, id""")
                .param(address)
                .query((rs, row) -> new CommentData(rs.getObject("id", UUID.class), rs.getObject("post_id", UUID.class),
                        rs.getInt("position"), rs.getString("author_name"), rs.getString("author_email"), rs.getString("body"),
                        rs.getBoolean("notify"), instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("edited_at")),
                        instant(rs.getTimestamp("deleted_at")), instant(rs.getTimestamp("hidden_at"))))
                .list();
        List<HeldCommentData> held = jdbc.sql("""
                select id, post_id, author_name, author_email, body, notify, created_at
                  from held_comment where lower(author_email) = ? order by created_at, id""")
                .param(address)
                .query((rs, row) -> new HeldCommentData(rs.getObject("id", UUID.class), rs.getObject("post_id", UUID.class),
                        rs.getString("author_name"), rs.getString("author_email"), rs.getString("body"), rs.getBoolean("notify"),
                        instant(rs.getTimestamp("created_at"))))
                .list();
        List<PostAuthorData> posts = jdbc.sql("select id, slug, title from post_replica where author_email = ? order by id")
                .param(address)
                .query((rs, row) -> new PostAuthorData(rs.getObject("id", UUID.class), rs.getString("slug"), rs.getString("title")))
                .list();
        return new Export(address, comments, held, posts);
    }

    private static Instant instant(java.sql.Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
