package org.replyensemble.comments.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.replyensemble.comments.CommentServiceApplication;
import org.replyensemble.comments.replica.PostReplica;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.events.Topics;
import org.replyensemble.testing.SharedPostgres;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default limits, over real HTTP, on two comment-service instances sharing one database as
 * they would behind a load balancer. Clients are told apart by X-Forwarded-For, which the
 * instances take from their (trusted, loopback) proxy: the reverse-proxy setup the README describes.
 */
class RateLimitTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;
    private static UUID postId;

    @BeforeAll
    static void twoInstancesOnOneDatabase() throws Exception {
        String database = SharedPostgres.newDatabase("comments_limits");
        first = start(database);
        second = start(database);
        postId = UUID.randomUUID();
        PostEvent event = PostEvent.of(PostEvent.PUBLISHED, new PostEvent.PostState(postId, "limits-" + postId, "Limited thread",
                "Body", new Person("Paula Poster", "paula@example.com"), Instant.now(), true, 1), Instant.now());
        first.getBean(KafkaTemplate.class).send(Topics.POSTS, postId.toString(), EventJson.write(event)).get();
        await().atMost(Duration.ofSeconds(30)).until(() -> first.getBean(PostReplica.class).find(postId).isPresent());
    }

    /**
     * Own consumer group: the post events must reach this database, not the other test context's.
     * Settings as arguments, which beat the embedded broker's system property (STACK.md).
     */
    private static ConfigurableApplicationContext start(String database) {
        return CommentServiceApplication.application().run(
                "--server.port=0",
                "--management.server.port=0",
                "--server.forward-headers-strategy=native",
                "--spring.datasource.url=" + database,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres",
                "--spring.kafka.consumer.group-id=comment-service-limits-test",
                "--spring.kafka.bootstrap-servers=" + System.getProperty("spring.kafka.bootstrap-servers"));
    }

    @AfterAll
    static void stop() {
        second.close();
        first.close();
    }

    @Test
    void oneClientGetsTenAMinuteAcrossBothInstancesThenA429WithRetryAfterAndNothingStored() throws Exception {
        String client = "203.0.113.10";
        double refusedBefore = refused("client");
        for (int i = 0; i < 10; i++) {
            assertThat(comment(i % 2 == 0 ? first : second, client, "reader" + i + "@example.org").statusCode())
                    .as("comment %d", i + 1).isEqualTo(201);
        }
        long stored = comments();

        for (ConfigurableApplicationContext instance : List.of(first, second)) {
            HttpResponse<String> refused = comment(instance, client, "one-more@example.org");
            assertTooMany(refused, "client");
            assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        }

        assertThat(comments()).as("nothing stored for a refused comment").isEqualTo(stored);
        assertThat(refused("client")).isEqualTo(refusedBefore + 2);
        assertThat(comment(second, "203.0.113.11", "someone-else@example.org").statusCode())
                .as("another client has its own budget").isEqualTo(201);
    }

    @Test
    void plusAddressedVariantsOfOneMailboxShareOneBudget() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(comment(i % 2 == 0 ? second : first, "198.51.100." + (i + 1), "victim+" + i + "@example.net").statusCode())
                    .as("variant %d", i).isEqualTo(201);
        }
        long stored = comments();

        assertTooMany(comment(first, "198.51.100.50", "victim+new@example.net"), "mailbox");
        assertTooMany(comment(second, "198.51.100.51", "VICTIM@Example.NET"), "mailbox");

        assertThat(comments()).isEqualTo(stored);
        assertThat(comment(first, "198.51.100.52", "not-the-victim@example.net").statusCode()).isEqualTo(201);
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThat(comment(first, "2001:db8:7:7::" + Integer.toHexString(i + 1), "v6-" + i + "@example.org").statusCode())
                    .isEqualTo(201);
        }
        assertTooMany(comment(second, "2001:db8:7:7:ffff:ffff:ffff:1", "v6-next@example.org"), "client");
        assertThat(comment(second, "2001:db8:7:8::1", "v6-neighbour@example.org").statusCode()).isEqualTo(201);
    }

    @Test
    void retryingThe404OfAnUnknownPostSpendsNothing() throws Exception {
        String client = "192.0.2.77";
        for (int i = 0; i < 15; i++) {
            assertThat(send(first, UUID.randomUUID(), client, "early" + i + "@example.org").statusCode()).isEqualTo(404);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(comment(second, client, "late" + i + "@example.org").statusCode()).isEqualTo(201);
        }
    }

    private static void assertTooMany(HttpResponse<String> response, String limit) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asString()).isEqualTo("https://replyensemble.org/problems/too-many-comments");
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("limit").asString()).isEqualTo(limit);
        assertThat(response.body()).doesNotContain("@");
    }

    private static HttpResponse<String> comment(ConfigurableApplicationContext instance, String client, String email) throws Exception {
        return send(instance, postId, client, email);
    }

    private static HttpResponse<String> send(ConfigurableApplicationContext instance, UUID post, String client, String email)
            throws Exception {
        String body = JSON.writeValueAsString(java.util.Map.of("author", java.util.Map.of("name", "Reader", "email", email),
                "body", "A comment"));
        URI uri = URI.create("http://localhost:" + instance.getEnvironment().getProperty("local.server.port")
                + "/api/posts/" + post + "/comments");
        return HTTP.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("X-Forwarded-For", client).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long comments() {
        return first.getBean(JdbcClient.class).sql("select count(*) from comment").query(Long.class).single();
    }

    /** Over both instances: each counts the refusals it answered. */
    private static double refused(String limit) {
        return List.of(first, second).stream()
                .mapToDouble(instance -> instance.getBean(MeterRegistry.class).counter("comments.rate_limited", "limit", limit).count())
                .sum();
    }
}
