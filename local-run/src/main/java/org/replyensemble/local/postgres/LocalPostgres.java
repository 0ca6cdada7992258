package org.replyensemble.local.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.replyensemble.local.Folders;
import org.replyensemble.local.Ports;

/**
 * A real PostgreSQL server (zonky's embedded binaries, PostgreSQL 17) run from this JVM, with a
 * fresh data folder each start and one database per service. Authentication is "trust" on
 * localhost, user postgres: any password is accepted, so the services may pass "postgres".
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final int port;
    private final Path dataDir;
    private final Map<String, String> serverConfig = new LinkedHashMap<>();
    private EmbeddedPostgres postgres;

    public LocalPostgres(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir.toAbsolutePath();
    }

    /** A server setting (postgresql.conf's name and value) for the next start, e.g. the benchmark's pg_stat_statements. */
    public LocalPostgres withServerConfig(String name, String value) {
        serverConfig.put(name, value);
        return this;
    }

    public LocalPostgres start(List<String> databases) {
        Ports.requireFree("PostgreSQL", "POSTGRES_PORT", port);
        try {
            // a run stopped by a kill leaves its data folder behind: start from nothing
            Folders.wipe(dataDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            serverConfig.forEach(builder::setServerConfig);
            postgres = builder
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(true)
                    .setRegisterShutdownHook(false)
                    .setServerConfig("max_connections", "200")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            for (String database : databases) {
                statement.execute("CREATE DATABASE \"" + database.replace("\"", "") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the databases " + databases, e);
        }
        return this;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    @Override
    public void close() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
        } finally {
            postgres = null;
        }
    }
}
