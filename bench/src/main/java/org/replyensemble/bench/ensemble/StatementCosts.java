package org.replyensemble.bench.ensemble;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * With {@code BENCH_PG_STATEMENTS=true}: PostgreSQL runs with pg_stat_statements, and each
 * comment-to-inbox step reports the statements that took the most of the database's time (executing
 * and planning), across the three services' databases. Off by default: the extension costs a little
 * on every statement.
 */
public final class StatementCosts {

    /** How many statements a step reports. */
    private static final int TOP = 12;

    private StatementCosts() {
    }

    public static boolean enabled() {
        return Boolean.parseBoolean(System.getenv("BENCH_PG_STATEMENTS"));
    }

    /**
     * One statement's share of a step: its database, calls, total and mean execution time, rows, text
     * (shortened), and how often it was planned and the planning's time.
     */
    public record Cost(String database, long calls, double totalMs, double meanMs, long rows, double share, String query,
            long plans, double planMs) {
    }

    /**
     * All statements of one database since {@link #reset}: how many, their execution time, and how
     * many were planned and the planning's time ({@code pg_stat_statements.track_planning}). A
     * statement's round trip (parse, bind, protocol, commit) costs PostgreSQL CPU that neither time
     * holds, so the count says as much as the times. {@code texts} counts the distinct statements (an
     * IN list of each length is one of its own): the JDBC driver keeps 256 prepared statements per
     * connection, and one that falls out of that cache is parsed and planned again.
     */
    public record DatabaseCalls(String database, long calls, double totalMs, long plans, double planMs, long texts) {
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

    /**
     * Each service database's statements since {@link #reset}, most first (empty when off): those the
     * services sent. A statement run inside a function or a trigger (the claim since V12, a foreign-key
     * check) is in its caller's figures, so it is left out here and listed by {@link #top}.
     */
    public static List<DatabaseCalls> byDatabase(Ensemble ensemble) {
        return read(ensemble, """
                select d.datname, sum(s.calls), sum(s.total_exec_time), sum(s.plans), sum(s.total_plan_time), count(*)
                  from pg_stat_statements s join pg_database d on d.oid = s.dbid
                 where d.datname <> 'postgres' and s.toplevel
                 group by d.datname order by 2 desc""",
                rows -> new DatabaseCalls(rows.getString(1), rows.getLong(2), rows.getDouble(3), rows.getLong(4), rows.getDouble(5),
                        rows.getLong(6)));
    }

    /**
     * The statements the services sent with the most time executing and planning since {@link #reset},
     * at most {@value #TOP}, then those run inside a function or a trigger (marked "nested": the claim
     * since V12, foreign-key checks; their time is also their caller's, and their share is of the same
     * total), at most {@value #TOP} too (empty when off).
     */
    public static List<Cost> top(Ensemble ensemble) {
        return read(ensemble, """
                with shown as (
                    select s.*, d.datname,
                           100 * (s.total_exec_time + s.total_plan_time)
                               / nullif(sum(s.total_exec_time + s.total_plan_time) filter (where s.toplevel) over (), 0) as share,
                           row_number() over (partition by s.toplevel order by s.total_exec_time + s.total_plan_time desc) as rank
                      from pg_stat_statements s join pg_database d on d.oid = s.dbid
                     where d.datname <> 'postgres')
                select datname, calls, total_exec_time, mean_exec_time, rows, share,
                       case when toplevel then '' else '(nested) ' end
                           || left(regexp_replace(query, '\\s+', ' ', 'g'), 160) as query, plans, total_plan_time
                  from shown
                 where rank <= %d
                 order by toplevel desc, total_exec_time + total_plan_time desc""".formatted(TOP),
                rows -> new Cost(rows.getString(1), rows.getLong(2), rows.getDouble(3), rows.getDouble(4), rows.getLong(5),
                        rows.getDouble(6), rows.getString(7), rows.getLong(8), rows.getDouble(9)));
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
