package org.replyensemble.bench.scenarios;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import org.replyensemble.bench.ensemble.Ensemble;
import org.replyensemble.bench.report.Results.StageTimes;

/**
 * Where the comment-to-inbox time goes, from the timestamps the services store anyway (all from
 * this machine's one clock), for the comments created in a time window:
 * <ul>
 *   <li>relay: outbox row written (the comment's transaction) -> acknowledged by Kafka (comment-service);</li>
 *   <li>to thread stage: comment created -> the notification-service transaction that recorded its
 *       deliveries began (relay + Kafka + the consumer's queue);</li>
 *   <li>to sent: that transaction began -> the delivery was marked SENT (fan-out commit, the sender's
 *       queue, SMTP, the update).</li>
 * </ul>
 */
final class Stages {

    private Stages() {
    }

    static StageTimes between(Ensemble ensemble, Instant from, Instant to) {
        try (Connection comments = ensemble.database("comments");
             Connection notifications = ensemble.database("notifications")) {
            double[] relay = percentiles(comments, """
                    select extract(epoch from published_at - created_at) * 1000 from outbox_message
                     where created_at between ? and ? and published_at is not null""", from, to);
            double[] toThread = percentiles(notifications, """
                    select extract(epoch from d.created_at - c.created_at) * 1000
                      from delivery d join thread_comment c on c.comment_id = d.comment_id
                     where c.created_at between ? and ?""", from, to);
            double[] toSent = percentiles(notifications, """
                    select extract(epoch from d.sent_at - d.created_at) * 1000
                      from delivery d join thread_comment c on c.comment_id = d.comment_id
                     where c.created_at between ? and ? and d.sent_at is not null""", from, to);
            return new StageTimes(relay[0], relay[1], toThread[0], toThread[1], toSent[0], toSent[1]);
        } catch (SQLException | RuntimeException e) {
            System.err.println("[bench] cannot read the stage times: " + e);
            return new StageTimes(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
    }

    private static double[] percentiles(Connection connection, String values, Instant from, Instant to) throws SQLException {
        String sql = "select percentile_cont(0.5) within group (order by v), percentile_cont(0.99) within group (order by v)"
                + " from (" + values + ") t(v)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setTimestamp(1, Timestamp.from(from));
            statement.setTimestamp(2, Timestamp.from(to));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                double p50 = rs.getDouble(1);
                double p50Null = rs.wasNull() ? Double.NaN : p50;
                double p99 = rs.getDouble(2);
                return new double[] {p50Null, rs.wasNull() ? Double.NaN : p99};
            }
        }
    }
}
