package org.replyensemble.local;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.replyensemble.local.accounts.Secrets;
import org.replyensemble.local.services.ServiceSpec;

/**
 * What the local run is configured with, all from environment variables with defaults:
 * POST_SERVICE_PORT (8081), COMMENT_SERVICE_PORT (8082), NOTIFICATION_SERVICE_PORT (8083), their
 * management ports POST_SERVICE_MANAGEMENT_PORT (9081), COMMENT_SERVICE_MANAGEMENT_PORT (9082),
 * NOTIFICATION_SERVICE_MANAGEMENT_PORT (9083),
 * KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), POSTGRES_PORT (5433), SMTP_PORT (3025),
 * MAIL_UI_PORT (8025), SERVICE_JAVA_OPTS (JVM options of each service), SEED_FILE (the thread
 * to replay, "none" for none). With SPRING_MAIL_HOST set no catcher starts and the services send
 * to that server. NOTIFICATIONS_TOKENS_SECRETS, when set, replaces the random key each run makes.
 * NOTIFICATIONS_FLOODCONTROL_ENABLED is false unless set: the seed replay shows the per-comment rules.
 */
public record LocalRunSettings(
        ServiceSpec postService,
        ServiceSpec commentService,
        ServiceSpec notificationService,
        int kafkaPort,
        int kafkaControllerPort,
        int postgresPort,
        int smtpPort,
        int mailUiPort,
        boolean externalMail,
        List<String> serviceJvmOptions,
        String seedFile,
        Map<String, String> environment) {

    public static final String DEFAULT_SERVICE_JAVA_OPTS = "-Xmx384m -XX:TieredStopAtLevel=1";

    public static LocalRunSettings from(Map<String, String> env) {
        String seed = env.getOrDefault("SEED_FILE", "seeds/vitamin-k2-thread.json");
        return new LocalRunSettings(
                new ServiceSpec("post-service", port(env, "POST_SERVICE_PORT", 8081),
                        port(env, "POST_SERVICE_MANAGEMENT_PORT", 9081), "posts"),
                new ServiceSpec("comment-service", port(env, "COMMENT_SERVICE_PORT", 8082),
                        port(env, "COMMENT_SERVICE_MANAGEMENT_PORT", 9082), "comments"),
                new ServiceSpec("notification-service", port(env, "NOTIFICATION_SERVICE_PORT", 8083),
                        port(env, "NOTIFICATION_SERVICE_MANAGEMENT_PORT", 9083), "notifications"),
                port(env, "KAFKA_PORT", 9092),
                port(env, "KAFKA_CONTROLLER_PORT", 9093),
                port(env, "POSTGRES_PORT", 5433),
                port(env, "SMTP_PORT", 3025),
                port(env, "MAIL_UI_PORT", 8025),
                isSet(env, "SPRING_MAIL_HOST"),
                Arrays.stream(env.getOrDefault("SERVICE_JAVA_OPTS", DEFAULT_SERVICE_JAVA_OPTS).trim().split("\\s+"))
                        .filter(s -> !s.isEmpty()).toList(),
                "none".equalsIgnoreCase(seed) ? null : seed,
                Map.copyOf(env));
    }

    public List<ServiceSpec> services() {
        return List.of(postService, commentService, notificationService);
    }

    /**
     * The settings every service shares, with the launcher's values; the user's own environment
     * wins over each of them (see {@link org.replyensemble.local.services.ServiceEnvironment}).
     */
    public Map<String, String> sharedServiceSettings(String kafkaBootstrapServers, String dbUser, String dbPassword) {
        Map<String, String> shared = new LinkedHashMap<>();
        shared.put("SPRING_DATASOURCE_USERNAME", dbUser);
        shared.put("SPRING_DATASOURCE_PASSWORD", dbPassword);
        shared.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers);
        if (!externalMail) {
            shared.put("SPRING_MAIL_HOST", "localhost");
            shared.put("SPRING_MAIL_PORT", String.valueOf(smtpPort));
        }
        shared.put("NOTIFICATIONS_PUBLIC_BASE_URL", commentService.baseUrl());
        shared.put("NOTIFICATIONS_UNSUBSCRIBE_BASE_URL", notificationService.baseUrl());
        shared.putAll(LOCAL_COMMENT_LIMITS);
        // The seed thread is the reference for the per-comment rules (seeds/*.expected.json): its 16
        // comments within seconds would otherwise be folded into summaries sent 10 minutes later.
        shared.put(FLOOD_CONTROL, "false");
        // A fresh random key per run for the links in emails: notification-service refuses the public
        // development one outside development mode, and every run starts from an empty database anyway.
        shared.put("NOTIFICATIONS_TOKENS_SECRETS", Secrets.random(32));
        // The erasure key post-service and notification-service share: random per run too (an empty database each run).
        shared.put("ENSEMBLE_ERASURE_KEY", Secrets.random(32));
        return shared;
    }

    /**
     * comment-service's rate limits for the local run: the seed replay posts 16 comments from this
     * one host in about a second, 8 of them from one address, which the public defaults (10 a minute
     * per client, 5 per mailbox) would refuse. Still low enough to try a 429 by hand.
     */
    static final Map<String, String> LOCAL_COMMENT_LIMITS = Map.of(
            "COMMENTS_RATELIMIT_CLIENTPERMINUTE", "60",
            "COMMENTS_RATELIMIT_CLIENTPERDAY", "1000",
            "COMMENTS_RATELIMIT_MAILBOXPERMINUTE", "20",
            "COMMENTS_RATELIMIT_MAILBOXPERDAY", "200");

    static final String FLOOD_CONTROL = "NOTIFICATIONS_FLOODCONTROL_ENABLED";

    /** Whether notification-service folds busy threads' updates into summaries in this run (off unless the user turns it on). */
    public boolean floodControl(Map<String, String> shared) {
        return "true".equalsIgnoreCase(effective(FLOOD_CONTROL, shared));
    }

    /** Flood control as the services run with it, for the console. */
    public String floodControlInWords(Map<String, String> shared) {
        return floodControl(shared)
                ? "on (" + FLOOD_CONTROL + "=true): a recipient's 4th and later thread updates per thread and window are"
                        + " folded into one summary sent when the window closes (seeds/*.flood-control.expected.json)"
                : "off (" + FLOOD_CONTROL + "=false): one email per recipient per comment, the seed thread's reference"
                        + " (seeds/*.expected.json); " + FLOOD_CONTROL + "=true turns it on";
    }

    /** The comment limits the services run with, for the summary. */
    public String commentLimits(Map<String, String> shared) {
        if ("false".equalsIgnoreCase(effective("COMMENTS_RATELIMIT_ENABLED", shared))) {
            return "off (COMMENTS_RATELIMIT_ENABLED=false)";
        }
        return "per client " + effective("COMMENTS_RATELIMIT_CLIENTPERMINUTE", shared) + "/min, "
                + effective("COMMENTS_RATELIMIT_CLIENTPERDAY", shared) + "/day; per mailbox "
                + effective("COMMENTS_RATELIMIT_MAILBOXPERMINUTE", shared) + "/min, "
                + effective("COMMENTS_RATELIMIT_MAILBOXPERDAY", shared) + "/day";
    }

    /** The value the services will see for a shared setting: the user's, else the launcher's. */
    public String effective(String name, Map<String, String> shared) {
        return isSet(environment, name) ? environment.get(name) : shared.get(name);
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, not '" + value + "'");
        }
    }
}
