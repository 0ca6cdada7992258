package org.replyensemble.bench.ensemble;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * With {@code BENCH_PG_STATEMENTS=true}: PostgreSQL runs with pg_stat_statements, and each
 * comment-to-inbox step reports the statements that took the most of the database's time, across
 * the three services' databases. Off by default: the extension costs a little on every statement.
 */
public final class StatementCosts {

    /** How many statements a step reports. */
    private static final int TOP = 12;

    private StatementCosts() {
    }

    public static boolean enabled() {
        return Boolean.parseBoolean(System.getenv("BENCH_PG_STATEMENTS"));
    }

    /** One statement's share of a step: its database, calls, total and mean execution time, rows, text (shortened). */
    public record Cost(String database, long calls, double totalMs, double meanMs, long rows, double share, String query) {
    }

    /**
     * All statements of one database since {@link #reset}: how many, and their execution time. A
     * statement's round trip (parse, bind, protocol, commit) costs PostgreSQL CPU that the execution
     * time leaves out, so the count says as much as the time.
     */
    public record DatabaseCalls(String database, long calls, double totalMs) {
    }

    /** Clears the statistics, so the next {@link #top} covers what runs from now. No-op when off. */
    public static void reset(Ensemble ensemble) {
        if (!enabled()) {
            return;
        }
        try (Connection connection = ensemble.database("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("create extension if not exists pg_stat_statements");
            statement.execute("select pg_stat_statements_reset()");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset pg_stat_statements", e);
        }
    }

    /** Each service database's statements since {@link #reset}, most first (empty when off). */
    public static List<DatabaseCalls> byDatabase(Ensemble ensemble) {
        return read(ensemble, """
                select d.datname, sum(s.calls), sum(s.total_exec_time)
                  from pg_stat_statements s join pg_database d on d.oid = s.dbid
                 where d.datname <> 'postgres'
                 group by d.datname order by 2 desc""",
                rows -> new DatabaseCalls(rows.getString(1), rows.getLong(2), rows.getDouble(3)));
    }

    /** The statements with the most execution time since {@link #reset}, at most {@value #TOP} (empty when off). */
    public static List<Cost> top(Ensemble ensemble) {
        return read(ensemble, """
                select d.datname, s.calls, s.total_exec_time, s.mean_exec_time, s.rows,
                       100 * s.total_exec_time / nullif(sum(s.total_exec_time) over (), 0) as share,
                       left(regexp_replace(s.query, '\\s+', ' ', 'g'), 160) as query
                  from pg_stat_statements s join pg_database d on d.oid = s.dbid
                 where d.datname <> 'postgres'
                 order by s.total_exec_time desc limit %d""".formatted(TOP),
                rows -> new Cost(rows.getString(1), rows.getLong(2), rows.getDouble(3), rows.getDouble(4), rows.getLong(5),
                        rows.getDouble(6), rows.getString(7)));
    }

    private interface Row<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private static <T> List<T> read(Ensemble ensemble, String query, Row<T> row) {
        if (!enabled()) {
            return List.of();
        }
        List<T> read = new ArrayList<>();
        try (Connection connection = ensemble.database("postgres"); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                read.add(row.read(rows));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read pg_stat_statements", e);
        }
        return read;
    }
}
