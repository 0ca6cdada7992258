package org.replyensemble.notifications.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.events.Topics;
import org.replyensemble.notifications.FlowTest;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The retention job deletes what is due and nothing else: processed event ids after 60 days,
 * finished deliveries after 90 (never a PENDING or HELD one), the comments of threads closed for
 * 180 days (never one whose mail still waits, never an open thread's), daily-cap counts after 7.
 */
class RetentionTest extends FlowTest {

    @Autowired
    Retention retention;

    @Test
    void deletesWhatIsDueAndNothingElse() {
        UUID oldEvent = processedEvent(61);
        UUID youngEvent = processedEvent(59);

        long oldSent = delivery("SENT", 91);
        long oldFailed = delivery("FAILED", 91);
        long oldCancelled = delivery("CANCELLED", 91);
        long youngSent = delivery("SENT", 89);
        long oldPending = delivery("PENDING", 91);
        long oldHeld = delivery("HELD", 91);

        UUID longClosed = thread(181);
        UUID gone = threadComment(longClosed, 1);
        UUID stillAwaited = threadComment(longClosed, 2);
        long awaitedHeld = jdbc.sql("""
                insert into delivery (comment_id, post_id, recipient_email, recipient_name, reason, status, created_at)
                values (:comment, :post, :email, 'Bob', 'PARTICIPANT', 'HELD', now() - interval '200 days') returning id
                """).param("comment", stillAwaited).param("post", longClosed).param("email", address("bob"))
                .query(Long.class).single();
        UUID recentlyClosed = thread(179);
        UUID kept = threadComment(recentlyClosed, 1);
        UUID open = thread(-1);
        UUID openComment = threadComment(open, 1);

        jdbc.sql("insert into recipient_day (email, day, emails) values (:email, current_date - 8, 3), (:email, current_date, 1)")
                .param("email", address("dee")).update();

        retention.purge();

        assertThat(ids("select event_id from processed_event where event_id in (:ids)", List.of(oldEvent, youngEvent)))
                .containsExactly(youngEvent);
        assertThat(ids("select id from delivery where id in (:ids) order by id",
                List.of(oldSent, oldFailed, oldCancelled, youngSent, oldPending, oldHeld, awaitedHeld)))
                .containsExactly(youngSent, oldPending, oldHeld, awaitedHeld);
        assertThat(ids("select comment_id from thread_comment where comment_id in (:ids)",
                List.of(gone, stillAwaited, kept, openComment)))
                .containsExactlyInAnyOrder(stillAwaited, kept, openComment);
        assertThat(ids("select post_id from thread where post_id in (:ids)", List.of(longClosed, recentlyClosed, open)))
                .as("threads and their participants stay").hasSize(3);
        assertThat(jdbc.sql("select day::text from recipient_day where email = :email").param("email", address("dee"))
                .query(String.class).list()).hasSize(1);
    }

    @Test
    void aThreadIsClosedSinceThePostStoppedTakingCommentsAndOpenAgainWhenItTakesThemAgain() {
        UUID postId = UUID.randomUUID();
        Instant closedAt = Instant.parse("2026-01-02T10:00:00Z");
        post(postId, true, 1, Instant.parse("2026-01-01T10:00:00Z"));
        post(postId, false, 2, closedAt);
        post(postId, false, 3, Instant.parse("2026-01-03T10:00:00Z"));
        await().atMost(MAIL_WAIT).until(() -> revision(postId) == 3);
        assertThat(jdbc.sql("select closed_at from thread where post_id = :id").param("id", postId)
                .query(java.time.OffsetDateTime.class).single().toInstant()).isEqualTo(closedAt);

        post(postId, true, 4, Instant.parse("2026-01-04T10:00:00Z"));
        await().atMost(MAIL_WAIT).until(() -> revision(postId) == 4);
        assertThat(jdbc.sql("select count(*) from thread where post_id = :id and closed_at is null and comments_open")
                .param("id", postId).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void processedEventsMustOutliveTheCommentTopic() {
        assertThatThrownBy(() -> new RetentionProperties(Topics.COMMENTS_RETENTION, Duration.ofDays(90), Duration.ofDays(180),
                Duration.ofDays(7), 1000, Duration.ofHours(1)))
                .hasMessageContaining("must be longer than the retention of blog.comments.v1");
    }

    private void post(UUID postId, boolean open, long revision, Instant at) {
        PostEvent.PostState state = new PostEvent.PostState(postId, "closing-" + postId, "Closing", "body",
                new Person("Olga", address("olga")), Instant.parse("2026-01-01T10:00:00Z"), open, revision);
        send(Topics.POSTS, postId, EventJson.write(new PostEvent(UUID.randomUUID(),
                revision == 1 ? PostEvent.PUBLISHED : PostEvent.UPDATED, PostEvent.SCHEMA_VERSION, at, postId, state)));
    }

    private long revision(UUID postId) {
        return jdbc.sql("select coalesce(max(revision), 0) from thread where post_id = :id").param("id", postId)
                .query(Long.class).single();
    }

    private UUID processedEvent(int daysAgo) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into processed_event (event_id, processed_at) values (:id, now() - make_interval(days => :days))")
                .param("id", id).param("days", daysAgo).update();
        return id;
    }

    private long delivery(String status, int daysAgo) {
        return jdbc.sql("""
                insert into delivery (comment_id, post_id, recipient_email, recipient_name, reason, status, created_at)
                values (:comment, :post, :email, 'Ann', 'PARTICIPANT', :status, now() - make_interval(days => :days)) returning id
                """)
                .param("comment", UUID.randomUUID()).param("post", UUID.randomUUID()).param("email", address("ann"))
                .param("status", status).param("days", daysAgo)
                .query(Long.class).single();
    }

    /** A thread closed this many days ago; open when negative. */
    private UUID thread(int closedDaysAgo) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into thread (post_id, slug, title, author_name, author_email, revision, fanned_out_position, comments_open, closed_at)
                values (:id, :slug, 'Old', 'Olga', :email, 2, 2, :open,
                        case when :open then null else now() - make_interval(days => :days) end)
                """)
                .param("id", id).param("slug", "old-" + id).param("email", address("olga"))
                .param("open", closedDaysAgo < 0).param("days", Math.max(closedDaysAgo, 0)).update();
        return id;
    }

    private UUID threadComment(UUID postId, int position) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into thread_comment (comment_id, post_id, position, author_name, author_email, notify, excerpt, created_at)
                values (:id, :post, :position, 'Bob', :email, true, 'old words', now() - interval '400 days')
                """).param("id", id).param("post", postId).param("position", position).param("email", address("bob")).update();
        return id;
    }

    private List<Object> ids(String sql, List<?> ids) {
        return jdbc.sql(sql).param("ids", ids).query((rs, row) -> rs.getObject(1)).list();
    }
}
