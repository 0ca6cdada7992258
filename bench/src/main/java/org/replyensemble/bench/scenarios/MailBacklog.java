package org.replyensemble.bench.scenarios;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.replyensemble.bench.ensemble.Ensemble;
import org.replyensemble.bench.ensemble.EnsembleApi;
import org.replyensemble.bench.ensemble.EnsembleApi.Person;
import org.replyensemble.bench.report.Results.MailThroughput;
import org.replyensemble.bench.sink.AcceptedMail;

/**
 * Scenario 2: the sustained rate at which notification-service sends a large backlog into the sink.
 * The backlog is written straight into its delivery log (PENDING rows for one comment of a real
 * thread, made due all at once), so the figure is the sending stage's alone: claim, load, compose,
 * SMTP, mark sent. The rate counts from the first to the last email accepted.
 */
public final class MailBacklog {

    private final Ensemble ensemble;
    private final EnsembleApi api;

    public MailBacklog(Ensemble ensemble, EnsembleApi api) {
        this.ensemble = ensemble;
        this.api = api;
    }

    public MailThroughput run(int emails, Duration timeout) {
        UUID postId = api.createPost("Backlog post", new Person("Backlog author", "backlog-author@bench.test"));
        UUID commentId = UUID.randomUUID();
        try (Connection db = ensemble.database("notifications")) {
            Sql.await(db, Duration.ofSeconds(60), 1, "select count(*) from thread where post_id = ?", postId);
            // A comment the thread stage considers fanned out already: only the backlog below mails about it.
            Sql.update(db, """
                    insert into thread_comment (comment_id, post_id, position, parent_id, author_name, author_email,
                                                notify, excerpt, created_at)
                    values (?, ?, 1, null, 'Backlog commenter', 'backlog-commenter@bench.test', true,
                            'A comment with a large backlog of emails.', now())""", commentId, postId);
            Sql.update(db, "update thread set fanned_out_position = 1 where post_id = ?", postId);
            // The recipients confirmed, as an operator would: the sender sends nothing to an unconfirmed address.
            Sql.update(db, """
                    insert into mailbox (mailbox) select 'backlog-' || g || '@bench.test' from generate_series(1, ?) g
                    on conflict do nothing""", emails);
            Sql.update(db, """
                    insert into address (email, mailbox, greeting_name, confirmed_at, confirmed_by)
                    select 'backlog-' || g || '@bench.test', 'backlog-' || g || '@bench.test', 'Reader ' || g, now(), 'OPERATOR'
                      from generate_series(1, ?) g
                    on conflict do nothing""", emails);
            Sql.update(db, """
                    insert into delivery (comment_id, post_id, recipient_email, recipient_name, reason, next_attempt_at)
                    select ?, ?, 'backlog-' || g || '@bench.test', 'Reader ' || g, 'PARTICIPANT', now() + interval '1 day'
                      from generate_series(1, ?) g""", commentId, postId, emails);
            MailCollector mail = new MailCollector(ensemble.sink(), m -> commentId.equals(m.commentId())).reset();
            long connectionsBefore = ensemble.sink().connections();
            Sql.update(db, "update delivery set next_attempt_at = now() where comment_id = ?", commentId);
            int delivered = mail.awaitCount(emails, timeout);
            List<AcceptedMail> all = mail.collected();
            long first = all.stream().mapToLong(AcceptedMail::acceptedNanos).min().orElse(0);
            long last = all.stream().mapToLong(AcceptedMail::acceptedNanos).max().orElse(0);
            double seconds = (last - first) / 1e9;
            return new MailThroughput(emails, delivered, seconds, seconds > 0 ? (delivered - 1) / seconds : 0,
                    ensemble.sink().connections() - connectionsBefore);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot seed the backlog", e);
        }
    }
}
