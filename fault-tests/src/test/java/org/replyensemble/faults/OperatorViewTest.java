package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * What an operator reads on the management port, over HTTP as a monitoring system would: the
 * Prometheus output carries the project's key metrics with their tags, and health and readiness
 * follow the database, Kafka and the mail server as they go away and come back. Readiness (what a
 * load balancer asks) follows the database only; Kafka and the mail server show in the health
 * components and metrics, and keep the service in the load balancer (the outbox takes writes while
 * Kafka is away, and mail is retried).
 */
class OperatorViewTest {

    private static final Duration TURN = Duration.ofSeconds(30);
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})? (\\S+)");

    private final FaultEnsemble ensemble = FaultEnsemble.shared();
    private final Blog blog = ensemble.blog();

    @Test
    void prometheusOutputHasTheKeyMetricsWithTheirTags() {
        ThreadLog thread = blog.publish("Metrics", person("mona"));
        blog.comment(thread, person("nils"), null);
        ensemble.awaitSettled(List.of(thread));

        String posts = prometheus(ensemble.postContext());
        assertSample(posts, "outbox_backlog", Map.of());
        assertSample(posts, "http_server_requests_seconds_count", Map.of("uri", "/api/posts", "method", "POST", "status", "201"));

        String comments = prometheus(ensemble.commentContext());
        assertSample(comments, "outbox_backlog", Map.of());
        assertSample(comments, "kafka_consumer_group_lag_records", Map.of("group", "comment-service", "topic", "blog.posts.v1"));
        // Boot's per-consumer client metric, beside the group's figure: one sample per consumer. Its
        // value is the highest lag of the client's last sampled windows, NaN once a window passed
        // without a fetch answer (seen on a loaded CI machine for every consumer at once), so only its
        // presence is the operator's guarantee; the group's lag above is the figure to alert on.
        assertThat(values(comments, "kafka_consumer_fetch_manager_records_lag_max")).as("records_lag_max per consumer")
                .isNotEmpty();

        await().atMost(TURN).untilAsserted(() -> {
            String notifications = prometheus(ensemble.notificationInstance());
            assertSample(notifications, "notifications_emails_total", Map.of("outcome", "sent"));
            assertSample(notifications, "notifications_deliveries_pending", Map.of());
            assertSample(notifications, "notifications_deliveries_oldest_pending_age_seconds", Map.of());
            assertThat(value(notifications, "notifications_mail_server_up", Map.of())).isEqualTo(1.0);
            for (int partition = 0; partition < 6; partition++) {
                assertSample(notifications, "kafka_consumer_group_lag_records", Map.of("group", "notification-service",
                        "topic", "blog.comments.v1", "partition", String.valueOf(partition)));
            }
            assertSample(notifications, "kafka_consumer_group_lag_records",
                    Map.of("group", "notification-service", "topic", "blog.posts.v1"));
        });
    }

    @Test
    void readinessFollowsTheDatabaseAndHealthShowsKafkaAndTheMailServer() {
        ConfigurableApplicationContext comments = ensemble.commentContext();
        ConfigurableApplicationContext notifications = ensemble.notificationInstance();
        for (ConfigurableApplicationContext service : List.of(ensemble.postContext(), comments, notifications)) {
            await().atMost(TURN).untilAsserted(() -> {
                assertThat(readiness(service)).isEqualTo(200);
                assertThat(component(service, "db")).isEqualTo("UP");
                assertThat(component(service, "kafka")).isEqualTo("UP");
            });
        }
        await().atMost(TURN).untilAsserted(() -> assertThat(component(notifications, "mail")).isEqualTo("UP"));

        // The database: comment-service leaves the load balancer while it cannot reach it.
        ensemble.commentsDatabase.stop();
        try {
            assertThat(Blog.get(ensemble.commentService().resolve("/api/comments/" + java.util.UUID.randomUUID())).statusCode())
                    .as("the fault happened: a request needing the database fails").isEqualTo(503);
            await().atMost(TURN).untilAsserted(() -> {
                assertThat(readiness(comments)).isEqualTo(503);
                assertThat(component(comments, "db")).isEqualTo("DOWN");
            });
        } finally {
            ensemble.commentsDatabase.start();
        }
        await().atMost(TURN).untilAsserted(() -> assertThat(readiness(comments)).isEqualTo(200));

        // The mail server: shown in health and in the gauge, notification-service stays ready.
        ensemble.mailbox.stop();
        try {
            assertThat(accepts(ensemble.mailbox.port())).as("the fault happened: the SMTP port refuses connections").isFalse();
            await().atMost(TURN).untilAsserted(() -> {
                assertThat(component(notifications, "mail")).isEqualTo("DOWN");
                assertThat(value(prometheus(notifications), "notifications_mail_server_up", Map.of())).isEqualTo(0.0);
            });
            assertThat(readiness(notifications)).as("a mail outage keeps the service in the load balancer").isEqualTo(200);
        } finally {
            ensemble.mailbox.start();
        }
        await().atMost(TURN).untilAsserted(() -> assertThat(component(notifications, "mail")).isEqualTo("UP"));

        // Kafka: shown in every service's health; each stays ready (the outbox holds the writes).
        ensemble.broker.stop();
        try {
            assertThat(ensemble.broker.isRunning()).as("the fault happened: the broker process is gone").isFalse();
            for (ConfigurableApplicationContext service : List.of(ensemble.postContext(), comments, notifications)) {
                await().atMost(TURN).untilAsserted(() -> assertThat(component(service, "kafka")).isEqualTo("DOWN"));
                assertThat(readiness(service)).isEqualTo(200);
            }
        } finally {
            ensemble.broker.restart();
        }
        for (ConfigurableApplicationContext service : List.of(ensemble.postContext(), comments, notifications)) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(component(service, "kafka")).isEqualTo("UP"));
        }
    }

    private static int readiness(ConfigurableApplicationContext service) {
        return Blog.get(FaultEnsemble.managementOf(service).resolve("/actuator/health/readiness")).statusCode();
    }

    private static String component(ConfigurableApplicationContext service, String name) {
        HttpResponse<String> health = Blog.get(FaultEnsemble.managementOf(service).resolve("/actuator/health"));
        JsonNode component = Blog.json(health).path("components").path(name);
        assertThat(component.isMissingNode()).as(name + " in " + health.body()).isFalse();
        return component.get("status").asString();
    }

    private static String prometheus(ConfigurableApplicationContext service) {
        HttpResponse<String> response = Blog.get(FaultEnsemble.managementOf(service).resolve("/actuator/prometheus"));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static void assertSample(String output, String name, Map<String, String> tags) {
        assertThat(value(output, name, tags)).as(name + tags).isNotNaN();
    }

    /** The value of the first sample of this name carrying these tags; fails when there is none. */
    private static double value(String output, String name, Map<String, String> tags) {
        for (String line : output.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (sample.find() && sample.group(1).equals(name) && hasTags(sample.group(3), tags)) {
                return Double.parseDouble(sample.group(4));
            }
        }
        throw new AssertionError("no sample " + name + tags + " in the Prometheus output:\n" + names(output));
    }

    /** Every sample of this name, whatever its tags. */
    private static List<Double> values(String output, String name) {
        List<Double> values = new java.util.ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (sample.find() && sample.group(1).equals(name)) {
                values.add(Double.parseDouble(sample.group(4)));
            }
        }
        return values;
    }

    private static boolean hasTags(String labels, Map<String, String> tags) {
        String all = labels == null ? "" : labels;
        return tags.entrySet().stream().allMatch(tag -> all.contains(tag.getKey() + "=\"" + tag.getValue() + "\""));
    }

    private static String names(String output) {
        return String.join("\n", output.lines().filter(l -> !l.startsWith("#")).map(l -> l.replaceAll(" \\S+$", ""))
                .filter(l -> l.startsWith("kafka_consumer_group") || l.startsWith("notifications") || l.startsWith("outbox")).toList());
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Blog.Person person(String name) {
        return new Blog.Person(name, name + "@operator-view.faults.example.org");
    }
}
