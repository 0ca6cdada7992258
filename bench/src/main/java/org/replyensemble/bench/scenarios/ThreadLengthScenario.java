package org.replyensemble.bench.scenarios;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;

import org.replyensemble.bench.ensemble.Ensemble;
import org.replyensemble.bench.ensemble.EnsembleApi;
import org.replyensemble.bench.ensemble.EnsembleApi.Person;
import org.replyensemble.bench.report.Results.ThreadLengthRun;

/**
 * Whether recording a comment costs more on a longer thread: a thread of N earlier comments by
 * three confirmed participants (seeded straight into the databases, as the thread stage would have
 * left them: thread_comment rows, one thread_participant row per address, fanned out to N; the
 * replica's comment count N), then comments through the REST API one at a time, each awaited until
 * the thread stage moved past it. The figure is the thread stage's own time per comment, from
 * Spring Kafka's listener timer (spring.kafka.listener: the poll's transaction, fan-out and commit),
 * so the relay and Kafka do not blur it; every measured comment mails the three participants and the
 * post's author, like a comment on a small thread.
 */
public final class ThreadLengthScenario {

    private static final int PARTICIPANTS = 3;

    private final Ensemble ensemble;
    private final EnsembleApi api;

    public ThreadLengthScenario(Ensemble ensemble, EnsembleApi api) {
        this.ensemble = ensemble;
        this.api = api;
    }

    public ThreadLengthRun run(int earlierComments, int comments) {
        Person author = new Person("Length author", "length-author-" + earlierComments + "@bench.test");
        UUID postId = api.createPost("Thread of " + earlierComments + " comments", author);
        try (Connection notifications = ensemble.database("notifications");
             Connection replica = ensemble.database("comments")) {
            Sql.await(notifications, Duration.ofSeconds(60), 1, "select count(*) from thread where post_id = ?", postId);
            Sql.await(replica, Duration.ofSeconds(60), 1, "select count(*) from post_replica where id = ?", postId);
            String reader = "'length-" + earlierComments + "-' || ((g - 1) % " + PARTICIPANTS + " + 1) || '@bench.test'";
            Sql.update(notifications, """
                    insert into thread_comment (comment_id, post_id, position, parent_id, author_name, author_email,
                                                notify, excerpt, created_at)
                    select gen_random_uuid(), ?, g, null, 'Reader', %s, true, 'An earlier comment.', now()
                      from generate_series(1, ?) g""".formatted(reader), postId, earlierComments);
            Sql.update(notifications, """
                    insert into mailbox (mailbox) select %s from generate_series(1, ?) g on conflict do nothing"""
                    .formatted(reader), PARTICIPANTS);
            Sql.update(notifications, """
                    insert into address (email, mailbox, greeting_name, confirmed_at, confirmed_by)
                    select %s, %s, 'Reader', now(), 'OPERATOR' from generate_series(1, ?) g
                    on conflict do nothing""".formatted(reader, reader), PARTICIPANTS);
            Sql.update(notifications, """
                    insert into thread_participant (post_id, email, first_position, latest_position, subscribed)
                    select ?, %s, g, ? - ? + g, true from generate_series(1, ?) g""".formatted(reader),
                    postId, earlierComments, PARTICIPANTS, PARTICIPANTS);
            Sql.update(notifications, "update thread set fanned_out_position = ? where post_id = ?", earlierComments, postId);
            Sql.update(replica, "update post_replica set comment_count = ? where id = ?", earlierComments, postId);
            Sql.update(notifications, "analyze thread_comment");
            Sql.update(notifications, "analyze thread_participant");

            Person commenter = new Person("Length commenter", "length-commenter-" + earlierComments + "@bench.test");
            api.confirm(commenter);
            double countBefore = api.notificationStatistic("spring.kafka.listener", "COUNT");
            double timeBefore = api.notificationStatistic("spring.kafka.listener", "TOTAL_TIME");
            double[] recordedMs = new double[comments];
            for (int i = 0; i < comments; i++) {
                long posted = System.nanoTime();
                EnsembleApi.PostedComment comment = api.comment(postId, commenter, "Measured comment " + i + ".");
                Sql.await(notifications, Duration.ofSeconds(60), comment.position(),
                        "select fanned_out_position from thread where post_id = ?", postId);
                recordedMs[i] = (System.nanoTime() - posted) / 1e6;
            }
            double count = api.notificationStatistic("spring.kafka.listener", "COUNT") - countBefore;
            double seconds = api.notificationStatistic("spring.kafka.listener", "TOTAL_TIME") - timeBefore;
            Arrays.sort(recordedMs);
            return new ThreadLengthRun(earlierComments, comments, count > 0 ? seconds * 1000 / count : Double.NaN,
                    recordedMs[recordedMs.length / 2], recordedMs[recordedMs.length - 1]);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot seed the thread of " + earlierComments + " comments", e);
        }
    }
}
