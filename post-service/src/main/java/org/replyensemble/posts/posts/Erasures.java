package org.replyensemble.posts.posts;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.replyensemble.events.ErasureEvent;
import org.replyensemble.events.EventHeaders;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.events.Topics;
import org.replyensemble.outbox.Outbox;
import org.replyensemble.support.erasure.ErasureKey;
import org.replyensemble.support.erasure.PersonalDataExport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Erasure of a person, as asked by an operator: post-service owns the request. In one transaction
 * it removes the address from its posts (each post's state is published again with
 * {@link Person#ERASED_EMAIL} in its place and a new revision, so compaction of the post topic drops
 * every earlier state that carried the address), deletes its outbox rows that carried the address,
 * and appends the {@link ErasureEvent} that tells the other services. No dual write: all through the outbox.
 *
 * <p>What the erasure topic keeps for ever: the request carries the address (the other services
 * need it to find their rows) only until it is sealed: {@link #sealDue()} writes, after
 * {@code erasure.address-kept-for} (7 days, far beyond any consumer's lag), a record with the same
 * key and only the subject, and compaction then drops the request. Chosen over "each service
 * hashes every address it holds" because that would read every row of every table per erasure.
 */
@Service
public class Erasures implements PersonalDataExport {

    private static final Logger log = LoggerFactory.getLogger(Erasures.class);

    public record PostAuthorData(String id, String slug, String title, String authorName, String authorEmail,
                                 String authorAccount, Instant publishedAt) {
    }

    /** Everything post-service holds about one address. */
    public record Export(String email, List<PostAuthorData> posts, boolean erased) {
    }

    private final JdbcClient jdbc;
    private final PostRepository posts;
    private final Outbox outbox;
    private final ErasureKey key;
    private final Duration addressKeptFor;

    Erasures(JdbcClient jdbc, PostRepository posts, Outbox outbox, ErasureKey key,
            @Value("${erasure.address-kept-for:7d}") Duration addressKeptFor) {
        this.jdbc = jdbc;
        this.posts = posts;
        this.outbox = outbox;
        this.key = key;
        this.addressKeptFor = addressKeptFor;
    }

    /**
     * @return the number of posts whose author address was removed. Asking again for an address
     *         already erased changes nothing here, but publishes the request again (the other
     *         services apply it again: harmless, and it mends a request they missed).
     */
    @Transactional
    public int erase(String email) {
        String address = ErasureKey.normalize(email);
        String subject = key.subject(address);
        List<java.util.UUID> ids = jdbc.sql("select id from post where lower(trim(author_email)) = ? order by id for update")
                .param(address).query(java.util.UUID.class).list();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (java.util.UUID id : ids) {
            Post erased = jdbc.sql("""
                    update post set author_email = ?, revision = revision + 1 where id = ?
                    returning id, slug, title, body, author_name, author_email, author_account, published_at, comments_open, revision""")
                    .params(Person.ERASED_EMAIL, id)
                    .query((rs, row) -> new Post(rs.getObject("id", java.util.UUID.class), rs.getString("slug"), rs.getString("title"),
                            rs.getString("body"), rs.getString("author_name"), rs.getString("author_email"),
                            rs.getString("author_account"), rs.getTimestamp("published_at").toInstant(),
                            rs.getBoolean("comments_open"), rs.getLong("revision")))
                    .single();
            outbox.append(Topics.POSTS, PostEvent.of(PostEvent.UPDATED, erased.state(), now));
        }
        // Published rows carrying the address are in Kafka already (and superseded there); rows not yet
        // published are superseded by the new states just appended (higher revision, whole state).
        // Case-insensitive: the payload keeps the address as its author typed it.
        jdbc.sql("delete from outbox_message where topic = ? and position(? in lower(payload)) > 0")
                .params(Topics.POSTS, address).update();
        jdbc.sql("delete from outbox_message where topic = ? and message_key = ? and position(? in lower(payload)) > 0")
                .params(Topics.ERASURES, subject, address).update();
        jdbc.sql("insert into erasure (subject) values (?) on conflict (subject) do update set requested_at = now(), sealed_at = null")
                .param(subject).update();
        ErasureEvent request = ErasureEvent.requested(subject, address, now);
        outbox.append(Topics.ERASURES, subject, EventJson.write(request), headers(request));
        log.info("Erasure {} requested: {} post(s) without their author address", subject, ids.size());
        return ids.size();
    }

    @Transactional(readOnly = true)
    @Override
    public Export export(String email) {
        String address = ErasureKey.normalize(email);
        List<PostAuthorData> held = jdbc.sql("""
                select id, slug, title, author_name, author_email, author_account, published_at
                  from post where lower(trim(author_email)) = ? order by published_at, id""")
                .param(address)
                .query((rs, row) -> new PostAuthorData(rs.getString("id"), rs.getString("slug"), rs.getString("title"),
                        rs.getString("author_name"), rs.getString("author_email"), rs.getString("author_account"),
                        rs.getTimestamp("published_at").toInstant()))
                .list();
        boolean erased = jdbc.sql("select exists (select 1 from erasure where subject = ?)")
                .param(key.subject(address)).query(Boolean.class).single();
        return new Export(address, held, erased);
    }

    /**
     * Seals the requests older than erasure.address-kept-for: the sealed record (subject only)
     * replaces the request on the compacted topic. Small batches, one transaction each; several
     * instances may run it at once: SKIP LOCKED gives each row to one of them.
     */
    @Scheduled(fixedDelayString = "${erasure.seal-every:1h}", initialDelayString = "${erasure.seal-every:1h}")
    public void sealDue() {
        while (sealBatch(100, addressKeptFor) == 100) {
            // next batch
        }
    }

    /** A request is sealed only once it is on the topic (its outbox row published): the sealed record must come after it. */
    @Transactional
    public int sealBatch(int size, Duration olderThan) {
        List<String> due = jdbc.sql("""
                select subject from erasure e
                 where sealed_at is null and requested_at <= now() - make_interval(secs => ?)
                   and not exists (select 1 from outbox_message o
                                    where o.topic = ? and o.message_key = e.subject and o.published_at is null)
                 order by requested_at limit ? for update skip locked""")
                .params((double) olderThan.toSeconds(), Topics.ERASURES, size)
                .query(String.class).list();
        Instant now = Instant.now();
        for (String subject : due) {
            ErasureEvent sealed = ErasureEvent.sealed(subject, now);
            outbox.append(Topics.ERASURES, subject, EventJson.write(sealed), headers(sealed));
            // The request's outbox row still holds the address: once sealed, nothing needs it.
            jdbc.sql("delete from outbox_message where topic = ? and message_key = ? and published_at is not null")
                    .params(Topics.ERASURES, subject).update();
            jdbc.sql("update erasure set sealed_at = now() where subject = ?").param(subject).update();
        }
        return due.size();
    }

    private static Map<String, String> headers(ErasureEvent event) {
        return Map.of(EventHeaders.EVENT_ID, event.eventId().toString(), EventHeaders.EVENT_TYPE, event.type(),
                EventHeaders.SCHEMA_VERSION, Integer.toString(event.schemaVersion()));
    }
}
