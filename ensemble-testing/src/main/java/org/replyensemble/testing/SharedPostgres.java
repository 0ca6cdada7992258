package org.replyensemble.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real PostgreSQL server per test JVM (started on first use, stopped when the JVM exits):
 * embedded (zonky) or a {@code postgres} container, as {@link TestInfrastructure} decides, with
 * the same settings either way; and a fresh database for each test context, so contexts never
 * see each other's rows. The superuser is postgres/postgres on both.
 */
public final class SharedPostgres {

    public static final String USERNAME = "postgres";
    public static final String PASSWORD = "postgres";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static volatile Server server;

    private SharedPostgres() {
    }

    private record Server(String host, int port, AutoCloseable stop) {
    }

    private static synchronized Server server() {
        if (server == null) {
            server = TestInfrastructure.containers() ? container() : embedded();
            Server started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.stop().close();
                } catch (Exception ignored) {
                    // the JVM is exiting; an embedded server's temp folder is cleaned by the next start
                }
            }, "shared-postgres-stop"));
        }
        return server;
    }

    private static Server embedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            return new Server("localhost", postgres.getPort(), postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** With the settings zonky gives the embedded server, so both sides behave alike. */
    @SuppressWarnings("resource") // stopped by the shutdown hook
    private static Server container() {
        PostgreSQLContainer postgres = new PostgreSQLContainer(TestInfrastructure.image("postgres"))
                .withUsername(USERNAME).withPassword(PASSWORD).withDatabaseName("postgres")
                .withCommand("postgres", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "max_connections=300",
                        "-c", "timezone=UTC");
        postgres.start();
        return new Server(postgres.getHost(), postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT), postgres::stop);
    }

    /** Where the server listens, as seen from this JVM. */
    public static String host() {
        return server().host();
    }

    public static int port() {
        return server().port();
    }

    /** The JDBC URL of one database on the shared server. */
    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** Creates a new, empty database and returns its JDBC URL. */
    public static String newDatabase(String prefix) {
        String name = prefix.replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USERNAME, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return jdbcUrl(name);
    }

    /** Points {@code spring.datasource.*} at a new database; for {@code @DynamicPropertySource}. */
    public static void registerNewDatabase(DynamicPropertyRegistry registry, String prefix) {
        String url = newDatabase(prefix);
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> USERNAME);
        registry.add("spring.datasource.password", () -> PASSWORD);
    }
}
