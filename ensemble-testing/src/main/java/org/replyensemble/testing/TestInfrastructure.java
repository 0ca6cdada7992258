package org.replyensemble.testing;

import java.util.Locale;

import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.DockerClientFactory;

/**
 * Which real parts a test JVM runs against, decided once for the whole JVM: {@link #EMBEDDED}
 * (a KRaft broker, PostgreSQL and GreenMail started in-process from Maven Central jars) or
 * {@link #CONTAINERS} (the same servers as Docker images through Testcontainers). The same test
 * classes run either way; nothing is skipped.
 *
 * <p>The system property {@value #PROPERTY} chooses: {@code embedded}, {@code containers}, or
 * {@code auto} (the default: containers when a Docker engine answers, embedded otherwise).
 * {@code containers} without an engine fails, it never falls back silently.
 */
public enum TestInfrastructure {

    EMBEDDED, CONTAINERS;

    public static final String PROPERTY = "test.infrastructure";

    private static volatile TestInfrastructure chosen;

    public static TestInfrastructure current() {
        if (chosen == null) {
            synchronized (TestInfrastructure.class) {
                if (chosen == null) {
                    chosen = choose(System.getProperty(PROPERTY, "auto"));
                    System.out.println("[test infrastructure] " + chosen.name().toLowerCase(Locale.ROOT)
                            + " (" + PROPERTY + "=" + System.getProperty(PROPERTY, "auto") + ")");
                }
            }
        }
        return chosen;
    }

    public static boolean containers() {
        return current() == CONTAINERS;
    }

    private static TestInfrastructure choose(String setting) {
        switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "embedded":
                return EMBEDDED;
            case "containers":
                if (!DockerClientFactory.instance().isDockerAvailable()) {
                    throw new IllegalStateException(PROPERTY + "=containers, but no Docker engine answers");
                }
                return CONTAINERS;
            case "auto":
            case "":
                return DockerClientFactory.instance().isDockerAvailable() ? CONTAINERS : EMBEDDED;
            default:
                throw new IllegalArgumentException(PROPERTY + " must be embedded, containers or auto, not '" + setting + "'");
        }
    }

    /**
     * The images, official names: a machine with Docker pulls them as usual. Each can be replaced
     * with a system property ({@code test.image.kafka}, {@code test.image.postgres},
     * {@code test.image.greenmail}); the build passes the versions it manages.
     */
    static String image(String part) {
        return switch (part) {
            // the broker of the same version as the clients the services use
            case "kafka" -> System.getProperty("test.image.kafka", "apache/kafka:" + AppInfoParser.getVersion());
            case "postgres" -> System.getProperty("test.image.postgres", "postgres:17");
            case "greenmail" -> System.getProperty("test.image.greenmail", "greenmail/standalone:2.1.13");
            default -> throw new IllegalArgumentException(part);
        };
    }
}
