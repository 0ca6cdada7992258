package org.replyensemble.notifications.erasure;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.ErasureEvent;
import org.replyensemble.events.Person;
import org.replyensemble.notifications.addresses.Addresses;
import org.replyensemble.notifications.threads.ThreadLocks;
import org.replyensemble.support.erasure.ErasureKey;
import org.replyensemble.support.erasure.PersonalDataExport;
import org.replyensemble.support.sql.InLists;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * notification-service's part of an erasure. The address leaves every table: threads and comment
 * rows keep their place with {@link Person#ERASED_EMAIL} (a suppressed placeholder) so the thread
 * stage's positions stay whole; participants, preferences, daily counts, deliveries and the
 * address's own rows are deleted. Only the subject (the keyed hash) stays, on the suppression list
 * {@code erased_subject}: an event that brings the address in again (a replay of
 * blog.comments.v1, which keeps events 30 days) stores the placeholder instead ({@link #stored}),
 * and the sender checks the list again before any email ({@link #erasedAmong}).
 */
@Service
public class Erasures implements PersonalDataExport {

    private static final Logger log = LoggerFactory.getLogger(Erasures.class);

    public record Export(String email, Map<String, List<Map<String, Object>>> tables, boolean erased) {
    }

    private final JdbcClient jdbc;
    private final ErasureKey key;
    private final Counter stoppedAtSend;

    Erasures(JdbcClient jdbc, ErasureKey key, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.key = key;
        this.stoppedAtSend = Counter.builder("notifications.erasures.stopped_at_send")
                .description("Deliveries to an erased address found by the sender's last check (written before the erasure committed)")
                .register(meters);
    }

    /**
     * Applies a request (or a sealed record: then only the subject is recorded). Returns false when
     * the event was processed before: a replay changes nothing.
     */
    @Transactional
    public boolean apply(ErasureEvent event) {
        int firstTime = jdbc.sql("insert into processed_event (event_id) values (:eventId) on conflict do nothing")
                .param("eventId", event.eventId()).update();
        if (firstTime == 0) {
            return false;
        }
        jdbc.sql("insert into erased_subject (subject) values (:subject) on conflict do nothing")
                .param("subject", event.subject()).update();
        if (event.email() == null) {
            return true;
        }
        String address = Addresses.normalize(event.email());
        if (!key.subject(address).equals(event.subject())) {
            // Another key than post-service's: the list would never match. Loud, and retried until fixed.
            throw new IllegalStateException("Erasure " + event.subject() + " does not match its address under this service's "
                    + "ensemble.erasure.key: post-service and notification-service must share the key");
        }
        if (Person.erased(address)) {
            return true;
        }
        // Each thread's locks first, in the one order (ThreadLocks), so a comment being stored or fanned
        // out in one of these threads finishes before this or starts after it.
        List<UUID> posts = jdbc.sql("""
                select post_id from thread where author_email = :email
                union select post_id from thread_comment where author_email = :email
                union select post_id from thread_participant where email = :email
                order by 1""")
                .param("email", address).query(UUID.class).list();
        posts.forEach(postId -> ThreadLocks.recording(jdbc, postId));
        posts.forEach(postId -> ThreadLocks.fanOut(jdbc, postId));
        String placeholder = Person.ERASED_EMAIL;
        jdbc.sql("update thread set author_email = :placeholder where author_email = :email")
                .param("placeholder", placeholder).param("email", address).update();
        jdbc.sql("update thread_comment set author_email = :placeholder, author_name = :name where author_email = :email")
                .param("placeholder", placeholder).param("name", CommentEvent.DELETED_NAME).param("email", address).update();
        jdbc.sql("delete from thread_participant where email = :email").param("email", address).update();
        jdbc.sql("delete from thread_preference where email = :email").param("email", address).update();
        jdbc.sql("delete from recipient_day where email = :email").param("email", address).update();
        int deliveries = jdbc.sql("delete from delivery where recipient_email = :email").param("email", address).update();
        String mailbox = jdbc.sql("delete from address where email = :email returning mailbox")
                .param("email", address).query(String.class).optional().orElse(Addresses.mailboxOf(address));
        jdbc.sql("delete from mailbox m where m.mailbox = :mailbox and not exists (select 1 from address a where a.mailbox = m.mailbox)")
                .param("mailbox", mailbox).update();
        log.info("Erasure {} applied: address gone, {} deliveries deleted", event.subject(), deliveries);
        return true;
    }

    /** The address to store for one an event brings in: the placeholder when its owner was erased. */
    public String stored(String normalizedEmail) {
        return isErased(normalizedEmail) ? Person.ERASED_EMAIL : normalizedEmail;
    }

    public boolean isErased(String email) {
        return !erasedAmong(List.of(email)).isEmpty();
    }

    /** The addresses among these that were erased (one query for a batch). */
    public Set<String> erasedAmong(Collection<String> emails) {
        if (emails.isEmpty()) {
            return Set.of();
        }
        Map<String, String> bySubject = new java.util.HashMap<>();
        for (String email : new HashSet<>(emails)) {
            bySubject.put(key.subject(email), email);
        }
        return jdbc.sql("select subject from erased_subject where subject in (:subjects)")
                .param("subjects", InLists.padded(bySubject.keySet()))
                .query(String.class).list().stream().map(bySubject::get).collect(Collectors.toSet());
    }

    /** Deliveries the sender found addressed to an erased address: deleted, never sent. */
    @Transactional
    public void dropDeliveries(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("delete from delivery where id in (:ids)").param("ids", InLists.padded(ids)).update();
        stoppedAtSend.increment(ids.size());
    }

    /** Everything this service holds about one address, table by table, as stored. */
    @Transactional(readOnly = true)
    @Override
    public Export export(String email) {
        String address = Addresses.normalize(email);
        Map<String, List<Map<String, Object>>> tables = new java.util.LinkedHashMap<>();
        tables.put("address", rows("select * from address where email = :email", address));
        tables.put("mailbox", rows("select m.* from mailbox m join address a on a.mailbox = m.mailbox where a.email = :email", address));
        tables.put("thread", rows("select post_id, slug, title, author_name, author_email from thread where author_email = :email "
                + "order by post_id", address));
        tables.put("thread_comment", rows("select comment_id, post_id, position, author_name, author_email, excerpt, created_at "
                + "from thread_comment where author_email = :email order by created_at, comment_id", address));
        tables.put("thread_participant", rows("select * from thread_participant where email = :email order by post_id", address));
        tables.put("thread_preference", rows("select * from thread_preference where email = :email order by post_id", address));
        tables.put("delivery", rows("select id, comment_id, post_id, recipient_email, recipient_name, reason, status, status_reason, "
                + "created_at from delivery where recipient_email = :email order by id", address));
        tables.put("recipient_day", rows("select * from recipient_day where email = :email order by day", address));
        return new Export(address, tables, isErased(address));
    }

    private List<Map<String, Object>> rows(String sql, String address) {
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (Map<String, Object> row : jdbc.sql(sql).param("email", address).query().listOfRows()) {
            Map<String, Object> json = new java.util.LinkedHashMap<>(); // keeps nulls: a column that is empty is shown so
            row.forEach((column, value) -> json.put(column, jsonValue(value)));
            rows.add(json);
        }
        return rows;
    }

    private static Object jsonValue(Object value) {
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant().toString();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().toString();
        }
        return value instanceof Instant || value instanceof UUID ? value.toString() : value;
    }
}
