package org.replyensemble.local.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.replyensemble.local.Ports;

class LocalPostgresTest {

    @Test
    void startsPostgresWithOneDatabasePerServiceFreshEachTime(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("postgres");
        for (int run = 1; run <= 2; run++) {
            try (LocalPostgres postgres = new LocalPostgres(Ports.anyFree(), data)
                    .start(List.of("posts", "comments", "notifications"))) {
                try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("comments"),
                        LocalPostgres.USER, LocalPostgres.PASSWORD);
                     Statement s = c.createStatement()) {
                    List<String> databases = new ArrayList<>();
                    try (ResultSet rs = s.executeQuery("select datname from pg_database where not datistemplate")) {
                        while (rs.next()) {
                            databases.add(rs.getString(1));
                        }
                    }
                    assertThat(databases).contains("posts", "comments", "notifications");
                    try (ResultSet rs = s.executeQuery("show server_version")) {
                        rs.next();
                        assertThat(rs.getString(1)).startsWith("17.");
                    }
                    // the second run would fail here if the first one's data were still there
                    s.execute("create table leftover (id int)");
                }
            }
        }
    }

    @Test
    void aServerSettingReachesTheServerAsTheBenchmarksStatementStatisticsNeed(@TempDir Path dir) throws Exception {
        try (LocalPostgres postgres = new LocalPostgres(Ports.anyFree(), dir.resolve("postgres"))
                .withServerConfig("shared_preload_libraries", "pg_stat_statements")
                .start(List.of("posts"))) {
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("posts"), LocalPostgres.USER, LocalPostgres.PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("create extension pg_stat_statements");
                s.execute("select 42");
                // Without the library preloaded, reading the view fails ("must be loaded via shared_preload_libraries").
                try (ResultSet rs = s.executeQuery("select count(*) from pg_stat_statements where query = 'select $1'")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(1);
                }
            }
        }
    }
}
