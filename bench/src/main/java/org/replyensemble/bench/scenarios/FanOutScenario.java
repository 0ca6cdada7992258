package org.replyensemble.bench.scenarios;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

import org.replyensemble.bench.ensemble.Ensemble;
import org.replyensemble.bench.ensemble.EnsembleApi;
import org.replyensemble.bench.ensemble.EnsembleApi.Person;
import org.replyensemble.bench.ensemble.HeapSampler;
import org.replyensemble.bench.report.Results.FanOutRun;
import org.replyensemble.bench.sink.AcceptedMail;

/**
 * Scenario 3: one comment on a thread with N earlier participants, through the real path (REST,
 * outbox, Kafka, thread stage, delivery log, sender), until the last of its N + 1 emails (the
 * participants and the post's author) is accepted.
 *
 * <p>Seeding N participants through the REST API would take longer than the measurement, so they
 * are written straight into the databases: N thread_comment rows (distinct, confirmed addresses, one
 * thread_participant row each, as the thread stage keeps them) in notification-service's, marked as
 * fanned out already, and the post's comment count in comment-service's replica, so the measured
 * comment gets position N + 1 like a real one would.
 */
public final class FanOutScenario {

    private final Ensemble ensemble;
    private final EnsembleApi api;

    public FanOutScenario(Ensemble ensemble, EnsembleApi api) {
        this.ensemble = ensemble;
        this.api = api;
    }

    public FanOutRun run(int participants, Duration timeout) {
        Person author = new Person("Fan-out author", "fan-author-" + participants + "@bench.test");
        UUID postId = api.createPost("Fan-out thread of " + participants, author);
        try (Connection notifications = ensemble.database("notifications");
             Connection comments = ensemble.database("comments")) {
            Sql.await(notifications, Duration.ofSeconds(60), 1, "select count(*) from thread where post_id = ?", postId);
            Sql.await(comments, Duration.ofSeconds(60), 1, "select count(*) from post_replica where id = ?", postId);
            Sql.update(notifications, """
                    insert into thread_comment (comment_id, post_id, position, parent_id, author_name, author_email,
                                                notify, excerpt, created_at)
                    select gen_random_uuid(), ?, g, null, 'Reader ' || g, 'fan-' || ? || '-' || g || '@bench.test', true,
                           'An earlier comment.', now()
                      from generate_series(1, ?) g""", postId, participants, participants);
            Sql.update(notifications, """
                    insert into mailbox (mailbox)
                    select 'fan-' || ? || '-' || g || '@bench.test' from generate_series(1, ?) g
                    on conflict do nothing""", participants, participants);
            Sql.update(notifications, """
                    insert into address (email, mailbox, greeting_name, confirmed_at, confirmed_by)
                    select 'fan-' || ? || '-' || g || '@bench.test', 'fan-' || ? || '-' || g || '@bench.test', 'Reader ' || g,
                           now(), 'OPERATOR'
                      from generate_series(1, ?) g
                    on conflict do nothing""", participants, participants, participants);
            Sql.update(notifications, """
                    insert into thread_participant (post_id, email, first_position, latest_position, subscribed)
                    select ?, 'fan-' || ? || '-' || g || '@bench.test', g, g, true from generate_series(1, ?) g""",
                    postId, participants, participants);
            Sql.update(notifications, "update thread set fanned_out_position = ? where post_id = ?", participants, postId);
            Sql.update(comments, "update post_replica set comment_count = ? where id = ?", participants, postId);
            Sql.update(notifications, "analyze thread_comment");
            Sql.update(notifications, "analyze thread_participant");
            Sql.update(notifications, "analyze address");

            double heapBefore = api.notificationMetric("jvm.memory.used", "area:heap") / (1024 * 1024);
            double heapMax = api.notificationMetric("jvm.memory.max", "area:heap") / (1024 * 1024);
            ensemble.sink().drain();
            Person commenter = new Person("Fan-out commenter", "fan-commenter-" + participants + "@bench.test");
            api.confirm(commenter);
            try (HeapSampler heap = new HeapSampler(api)) {
                EnsembleApi.PostedComment comment = api.comment(postId, commenter, "The measured comment.");
                long created = System.nanoTime();
                if (comment.position() != participants + 1) {
                    throw new IllegalStateException("the measured comment got position " + comment.position()
                            + ", expected " + (participants + 1));
                }
                long expected = participants + 1L;
                MailCollector mail = new MailCollector(ensemble.sink(), m -> comment.id().equals(m.commentId()));
                long deadline = created + timeout.toNanos();
                long recorded = 0;
                while (mail.collect() < expected && System.nanoTime() < deadline) {
                    if (recorded == 0 && Sql.number(notifications, "select fanned_out_position from thread where post_id = ?",
                            postId) > participants) {
                        recorded = System.nanoTime();
                    }
                    EnsembleApi.pause(20);
                }
                long first = mail.collected().stream().mapToLong(AcceptedMail::acceptedNanos).min().orElse(created);
                long last = mail.collected().stream().mapToLong(AcceptedMail::acceptedNanos).max().orElse(created);
                int delivered = mail.collected().size();
                double lastSeconds = (last - created) / 1e9;
                return new FanOutRun(participants, expected, delivered,
                        recorded == 0 ? Double.NaN : (recorded - created) / 1e9, (first - created) / 1e9, lastSeconds,
                        lastSeconds > 0 ? delivered / lastSeconds : 0, heapBefore, heap.peakMegabytes(), heapMax,
                        delivered >= expected);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot seed the fan-out thread", e);
        }
    }
}
