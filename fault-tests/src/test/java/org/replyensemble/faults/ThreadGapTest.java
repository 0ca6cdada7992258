package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Person;
import org.replyensemble.events.Topics;

/**
 * Scenario 11: a missing comment does not stop a thread's mail for good. The thread stage fans
 * out in position order; when a position stays missing (its event dead-lettered, or aged out of
 * the topic before the group read it) the thread waits the gap timeout, is moved past the gap (the
 * position recorded in thread_gap, threads.gaps_skipped counted), and mails the later comments to
 * the participants it knows. A comment that arrives for a skipped position after all is mailed on
 * its own, to the participants before it.
 */
class ThreadGapTest {

    private static final String DOMAIN = "gap.faults.example.org";

    private final FaultEnsemble ensemble = FaultEnsemble.shared();
    private final Blog blog = ensemble.blog();

    @Test
    void aDeadLetteredCommentStallsItsThreadOnlyUntilTheGapTimeoutAndItsLateArrivalIsMailedOnce() {
        ThreadLog thread = blog.publish("Gap", person("olga"));
        ThreadLog.Posted ann = blog.comment(thread, person("ann"), null);
        ensemble.awaitSettled(List.of(thread));
        double skippedBefore = ensemble.notificationMetric("threads.gaps_skipped");
        double lateBefore = ensemble.notificationMetric("threads.late_comments");

        UUID missing = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        UUID fourth = UUID.randomUUID();
        String poison = EventJson.write(event(thread, missing, 2, "dan"))
                .replace("\"author\":{\"name\":\"dan\",\"email\":\"dan@" + DOMAIN + "\"},", "");
        Kafka.produce(ensemble.bootstrapServers(), List.of(
                new ProducerRecord<>(Topics.COMMENTS, thread.postId().toString(), poison),
                record(thread, third, 3, "ben"),
                record(thread, fourth, 4, "cleo")));

        // The fault: position 2 never arrives (dead-lettered), and the thread waits at it.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> ensemble.notificationMetric("threads.stalled") >= 1);
        assertThat(gapSince(thread)).as("waiting at the gap").isNotNull();
        assertThat(ensemble.mailbox.received()).noneMatch(e -> e.commentId().equals(third) || e.commentId().equals(fourth));

        // After the gap timeout: 3 and 4 mailed to the participants before them that the thread knows.
        Set<Email> afterGap = Set.of(email(third, "olga"), email(third, "ann"),
                email(fourth, "olga"), email(fourth, "ann"), email(fourth, "ben"));
        ensemble.awaitSettled(afterGap, Set.of(third, fourth));
        assertThat(ensemble.notificationMetric("threads.gaps_skipped") - skippedBefore).isEqualTo(1);
        assertThat(ensemble.notificationsDb().sql("select reason from thread_gap where post_id = :post and position = 2")
                .param("post", thread.postId()).query(String.class).single()).contains("gap timeout");
        assertThat(gapSince(thread)).as("no longer waiting").isNull();

        // The missing comment arrives after all (replayed from the dead-letter topic): mailed once, on its own.
        Kafka.produce(ensemble.bootstrapServers(), List.of(record(thread, missing, 2, "dan")));
        Set<Email> late = Set.of(email(missing, "olga"), email(missing, "ann"));
        ensemble.awaitSettled(late, Set.of(missing));
        assertThat(ensemble.notificationMetric("threads.late_comments") - lateBefore).isEqualTo(1);
        assertThat(ensemble.notificationsDb().sql("select comment_id from thread_gap where post_id = :post and position = 2")
                .param("post", thread.postId()).query(UUID.class).single()).isEqualTo(missing);

        Set<Email> expected = new HashSet<>(thread.expectedEmails());
        expected.addAll(afterGap);
        expected.addAll(late);
        Figures.count("11 dead-lettered comment mid-thread", "position 2 dead-lettered: thread moved past it after the gap timeout ("
                        + FaultEnsemble.GAP_TIMEOUT.toSeconds() + " s), the comment replayed later and mailed on its own",
                4, expected, ensemble.mailbox.received(), Set.of(ann.commentId(), missing, third, fourth))
                .assertExactlyOnce();
    }

    @Test
    void aGroupWhoseNextEventsAgedOutOfTheTopicMovesOnAfterTheGapTimeout() throws Exception {
        ThreadLog thread = blog.publish("Retention gap", person("pia"));
        ThreadLog.Posted quin = blog.comment(thread, person("quin"), null);
        ensemble.awaitSettled(List.of(thread));

        List<ThreadLog.Posted> agedOut = new ArrayList<>();
        List<ThreadLog.Posted> kept = new ArrayList<>();
        ensemble.stopAllNotifications();
        try {
            agedOut.add(blog.comment(thread, person("rita"), null));
            agedOut.add(blog.comment(thread, person("sam"), null));
            awaitOutboxPublished();
            // What retention does to a topic nobody read for too long: everything so far is gone.
            long removed = deleteEverythingSoFar();
            assertThat(removed).as("records removed from " + Topics.COMMENTS).isGreaterThanOrEqualTo(2);
            kept.add(blog.comment(thread, person("tom"), null));
            kept.add(blog.comment(thread, person("uma"), null));
            awaitOutboxPublished();
        } finally {
            // The group's committed offset is now before the log start: it restarts at the oldest surviving event.
            ensemble.startNotifications();
        }

        Set<Email> expected = new HashSet<>();
        expected.add(email(quin.commentId(), "pia"));
        expected.addAll(Set.of(email(kept.get(0).commentId(), "pia"), email(kept.get(0).commentId(), "quin"),
                email(kept.get(1).commentId(), "pia"), email(kept.get(1).commentId(), "quin"), email(kept.get(1).commentId(), "tom")));
        Set<UUID> ids = Set.of(quin.commentId(), kept.get(0).commentId(), kept.get(1).commentId());
        ensemble.awaitSettled(expected, ids);
        assertThat(ensemble.notificationMetric("threads.gaps_skipped")).as("counted by the instance started after the loss")
                .isGreaterThanOrEqualTo(2);
        assertThat(ensemble.notificationsDb().sql("select count(*) from thread_gap where post_id = :post")
                .param("post", thread.postId()).query(Long.class).single()).isEqualTo(2);
        assertThat(ensemble.mailbox.received()).as("the comments lost to retention were never read, never mailed")
                .noneMatch(e -> agedOut.stream().anyMatch(c -> c.commentId().equals(e.commentId())));
        Figures.count("11 comment events aged out", "2 comment events deleted from the topic before the group read them"
                + " (offsets out of range, restarted at the oldest); thread moved on after the gap timeout", 3, expected,
                ensemble.mailbox.received(), ids).assertExactlyOnce();
    }

    private void awaitOutboxPublished() {
        await().atMost(Duration.ofSeconds(60)).until(() -> ensemble.commentsDb()
                .sql("select count(*) from outbox_message where published_at is null").query(Long.class).single() == 0);
    }

    /** Moves the log start of every partition of the comment topic to its end, as retention would. */
    private long deleteEverythingSoFar() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ensemble.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            for (int p = 0; p < Topics.PARTITIONS; p++) {
                latest.put(new TopicPartition(Topics.COMMENTS, p), OffsetSpec.latest());
                earliest.put(new TopicPartition(Topics.COMMENTS, p), OffsetSpec.earliest());
            }
            var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            var starts = admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
            long removed = 0;
            for (var end : ends.entrySet()) {
                delete.put(end.getKey(), RecordsToDelete.beforeOffset(end.getValue().offset()));
                removed += end.getValue().offset() - starts.get(end.getKey()).offset();
            }
            admin.deleteRecords(delete).all().get(30, TimeUnit.SECONDS);
            return removed;
        }
    }

    private java.time.OffsetDateTime gapSince(ThreadLog thread) {
        return ensemble.notificationsDb().sql("select gap_since from thread where post_id = :post")
                .param("post", thread.postId()).query((rs, n) -> rs.getObject(1, java.time.OffsetDateTime.class)).list().get(0);
    }

    private CommentEvent event(ThreadLog thread, UUID commentId, int position, String author) {
        ensemble.confirmAddress(author + "@" + DOMAIN);
        return CommentEvent.posted(new CommentEvent.CommentPosted(commentId, thread.postId(), null, position,
                new Person(author, author + "@" + DOMAIN), true, "comment " + position, Instant.now()));
    }

    private ProducerRecord<String, String> record(ThreadLog thread, UUID commentId, int position, String author) {
        return new ProducerRecord<>(Topics.COMMENTS, thread.postId().toString(), EventJson.write(event(thread, commentId, position, author)));
    }

    private static Email email(UUID commentId, String name) {
        return new Email(commentId, name + "@" + DOMAIN);
    }

    private static Blog.Person person(String name) {
        return new Blog.Person(name, name + "@" + DOMAIN);
    }
}
