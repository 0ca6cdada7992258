package org.replyensemble.bench.ensemble;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.replyensemble.testing.TestIssuer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public REST API as a client uses it (DESIGN.md: POST /api/posts, POST /api/posts/{id}/comments),
 * plus the actuator figures the benchmark samples from the management port. Request bodies are written
 * by hand: the benchmark's own names and addresses need no escaping, and the load generator should
 * spend little CPU. Each post's author publishes with a token of the run's identity provider carrying
 * their name and address (posting a comment needs no account).
 */
public final class EnsembleApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration REPLICA_WAIT = Duration.ofSeconds(60);

    private final HttpClient client;
    private final String postService;
    private final String commentService;
    private final String notificationService;
    private final String notificationManagement;
    private final List<String> managementUrls;
    private final TestIssuer issuer;

    public EnsembleApi(HttpClient client, Ensemble ensemble) {
        this.client = client;
        this.postService = ensemble.posts().baseUrl();
        this.commentService = ensemble.comments().baseUrl();
        this.notificationService = ensemble.notifications().baseUrl();
        this.notificationManagement = ensemble.notifications().managementUrl();
        this.managementUrls = List.of(ensemble.posts().managementUrl(), ensemble.comments().managementUrl(),
                notificationManagement);
        this.issuer = ensemble.issuer();
    }

    public record Person(String name, String email) {
    }

    /**
     * BENCH_ONE_CLIENT_ADDRESS=true: every comment comes from this host's address, as before
     * 2026-12-06, so every comment of a run waits for the same rate-limit bucket's row lock (a
     * before/after of that change). By default each person writes from an address of their own
     * that the reverse proxy in front of comment-service passes on in X-Forwarded-For, as readers
     * reach a public deployment (README: behind a reverse proxy).
     */
    private static final boolean ONE_CLIENT_ADDRESS = Boolean.parseBoolean(System.getenv("BENCH_ONE_CLIENT_ADDRESS"));

    /**
     * The address a person writes from: one of 131,072 in 198.18.0.0/15, the range set aside for
     * benchmarks (RFC 2544), which Tomcat does not take for one of its internal proxies. Several people
     * may share one, as households and offices do.
     */
    static String clientAddress(Person person) {
        int n = person.email().hashCode() & 0x1ffff;
        return "198." + (18 + (n >> 16)) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
    }

    private static HttpRequest.Builder from(HttpRequest.Builder request, Person author) {
        return ONE_CLIENT_ADDRESS ? request : request.header("X-Forwarded-For", clientAddress(author));
    }

    public record PostedComment(UUID id, int position) {
    }

    public UUID createPost(String title, Person author) {
        String body = "{\"title\":\"" + title + "\",\"body\":\"A post for the benchmark.\","
                + "\"author\":{\"name\":\"" + author.name() + "\",\"email\":\"" + author.email() + "\"}}";
        String account = TestIssuer.bearer(issuer.token("bench:" + author.email(), author.name(), author.email(), "AUTHOR"));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(postService + "/api/posts"))
                .header("Content-Type", "application/json").header("Authorization", account)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST /api/posts answered " + response.statusCode() + ": " + response.body());
        }
        return UUID.fromString(JSON.readTree(response.body()).get("id").asString());
    }

    public HttpRequest commentRequest(UUID postId, Person author, String text) {
        return commentRequest(commentService, postId, author, text);
    }

    /**
     * A comment as a reply to {@code parentId} (null: top level); {@code notify} false: its author asks for
     * no email about later replies (JSON {@code notify}).
     */
    public HttpRequest replyRequest(UUID postId, UUID parentId, Person author, String text, boolean notify) {
        String body = "{\"author\":{\"name\":\"" + author.name() + "\",\"email\":\"" + author.email() + "\"},"
                + (parentId == null ? "" : "\"parentId\":\"" + parentId + "\",")
                + "\"notify\":" + notify + ",\"body\":\"" + text + "\"}";
        return from(HttpRequest.newBuilder(URI.create(commentService + "/api/posts/" + postId + "/comments")), author)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** The comment-service's POST, against any base URL (the empty endpoint answers the same path). */
    public static HttpRequest commentRequest(String baseUrl, UUID postId, Person author, String text) {
        String body = "{\"author\":{\"name\":\"" + author.name() + "\",\"email\":\"" + author.email() + "\"},"
                + "\"body\":\"" + text + "\"}";
        return from(HttpRequest.newBuilder(URI.create(baseUrl + "/api/posts/" + postId + "/comments")), author)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    public static PostedComment parseComment(String json) {
        JsonNode node = JSON.readTree(json);
        return new PostedComment(UUID.fromString(node.get("id").asString()), node.get("position").asInt());
    }

    /** Posts a comment, retrying the 404 of a post the comment-service's replica does not know yet. */
    public PostedComment comment(UUID postId, Person author, String text) {
        long deadline = System.nanoTime() + REPLICA_WAIT.toNanos();
        while (true) {
            HttpResponse<String> response = send(commentRequest(postId, author, text));
            if (response.statusCode() == 201) {
                return parseComment(response.body());
            }
            if (response.statusCode() != 404 || System.nanoTime() > deadline) {
                throw new IllegalStateException("POST comment answered " + response.statusCode() + ": " + response.body());
            }
            pause(100);
        }
    }

    /**
     * Confirms a reader's address through the operator call, as support staff would: reply emails go
     * only to confirmed addresses, and the benchmark measures them (a confirmation email through the
     * link per reader would measure nothing of interest). /api/** needs an operator: a token of the
     * run's stand-in identity provider with the OPERATOR role.
     */
    public void confirm(Person person) {
        String body = "{\"email\":\"" + person.email() + "\",\"name\":\"" + person.name() + "\"}";
        String operator = TestIssuer.bearer(issuer.token("bench-operator", "Bench operator", "operator@bench.example.org", "OPERATOR"));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(notificationService + "/api/addresses/confirmations"))
                .header("Content-Type", "application/json").header("Authorization", operator).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST /api/addresses/confirmations answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    /** A figure from notification-service's /actuator/metrics (management port), e.g. jvm.memory.used with tag area:heap. */
    public double notificationMetric(String name, String tag) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(notificationManagement
                + "/actuator/metrics/" + name + (tag == null ? "" : "?tag=" + tag))).timeout(Duration.ofSeconds(5)).GET().build());
        if (response.statusCode() != 200) {
            return Double.NaN;
        }
        return JSON.readTree(response.body()).get("measurements").get(0).get("value").asDouble();
    }

    /**
     * One statistic (COUNT, TOTAL_TIME, MAX...) of a notification-service meter, every tag together;
     * NaN when the meter is not there.
     */
    public double notificationStatistic(String name, String statistic) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(notificationManagement
                + "/actuator/metrics/" + name)).timeout(Duration.ofSeconds(5)).GET().build());
        if (response.statusCode() != 200) {
            return Double.NaN;
        }
        for (JsonNode measurement : JSON.readTree(response.body()).get("measurements")) {
            if (statistic.equals(measurement.get("statistic").asString())) {
                return measurement.get("value").asDouble();
            }
        }
        return Double.NaN;
    }

    /**
     * The milliseconds the three services' JIT compilers have spent so far (Micrometer's
     * {@code jvm.compilation.time}, summed); NaN when a service does not report it.
     */
    public double jitCompilationMillis() {
        double total = 0;
        for (String management : managementUrls) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(management
                    + "/actuator/metrics/jvm.compilation.time")).timeout(Duration.ofSeconds(5)).GET().build());
            if (response.statusCode() != 200) {
                return Double.NaN;
            }
            JsonNode meter = JSON.readTree(response.body());
            double value = meter.get("measurements").get(0).get("value").asDouble();
            total += "seconds".equals(meter.path("baseUnit").asString("")) ? value * 1_000 : value;
        }
        return total;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
