package org.replyensemble.local.seeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.replyensemble.local.accounts.Credentials;
import tools.jackson.databind.json.JsonMapper;

/** The replay against a stand-in for the two services' REST APIs. */
class SeedReplayTest {

    private static final Credentials AUTHOR = Credentials.basic("arrow.durfee", "the author's password");

    private final JsonMapper json = JsonMapper.builder().build();
    private final SeedThread thread = SeedThread.read(SeedFiles.thread());
    private final UUID postId = UUID.randomUUID();
    private final List<Map<?, ?>> postsReceived = new CopyOnWriteArrayList<>();
    private final List<Map<?, ?>> commentsReceived = new CopyOnWriteArrayList<>();
    private final List<UUID> commentIdsGiven = new CopyOnWriteArrayList<>();
    private final AtomicInteger notFoundBeforeReplica = new AtomicInteger(2);
    private volatile int failCommentWith;
    private HttpServer server;
    private URI base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/posts", this::handle);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<?, ?> body = json.readValue(exchange.getRequestBody().readAllBytes(), Map.class);
            String path = exchange.getRequestURI().getPath();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (path.equals("/api/posts") && !AUTHOR.authorization().equals(authorization)) {
                respond(exchange, 401, "{\"title\":\"Authentication required\"}");
            } else if (path.equals("/api/posts")) {
                postsReceived.add(body);
                respond(exchange, 201, "{\"id\":\"" + postId + "\",\"slug\":\"" + body.get("slug") + "\"}");
            } else if (path.equals("/api/posts/" + postId + "/comments")) {
                if (notFoundBeforeReplica.getAndDecrement() > 0) {
                    respond(exchange, 404, "{\"title\":\"Not Found\"}");
                } else if (failCommentWith != 0) {
                    respond(exchange, failCommentWith, "{\"title\":\"broken\",\"detail\":\"on purpose\"}");
                } else if (authorization != null) {
                    respond(exchange, 400, "{\"title\":\"readers comment without an account\"}");
                } else {
                    commentsReceived.add(body);
                    UUID id = UUID.randomUUID();
                    commentIdsGiven.add(id);
                    respond(exchange, 201, "{\"id\":\"" + id + "\",\"position\":" + commentIdsGiven.size() + "}");
                }
            } else {
                respond(exchange, 404, "{}");
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private SeedReplay replay(Duration retryFor) {
        return replay(AUTHOR, retryFor);
    }

    private SeedReplay replay(Credentials author, Duration retryFor) {
        return new SeedReplay(base, base, author, Duration.ofMillis(5), retryFor);
    }

    /** A service the supervisor is restarting refuses connections for a while: the replay waits for it. */
    @Test
    void waitsForAServiceThatRefusesConnectionsWhileItRestarts() throws Exception {
        int port = server.getAddress().getPort();
        server.stop(0);
        CompletableFuture<ReplayResult> replayed = CompletableFuture.supplyAsync(() -> replay(Duration.ofSeconds(10)).replay(thread));
        // While the service is down the replay neither fails nor gets anywhere.
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5))
                .until(() -> !replayed.isDone());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/api/posts", this::handle);
        server.start();

        assertThat(replayed.get(30, TimeUnit.SECONDS).postId()).isEqualTo(postId);
        assertThat(postsReceived).hasSize(1);
        assertThat(commentsReceived).hasSize(16);
    }

    @Test
    void createsThePostThenEveryCommentInOrderRetryingWhileThePostIsUnknown() {
        ReplayResult result = replay(Duration.ofSeconds(10)).replay(thread);

        assertThat(result.postId()).isEqualTo(postId);
        assertThat(postsReceived).singleElement().satisfies(post -> {
            assertThat(post.get("title")).isEqualTo(thread.post().title());
            assertThat(post.get("slug")).isEqualTo(thread.post().slug());
            assertThat(post.get("body")).isEqualTo(thread.post().body());
            assertThat(post.get("author")).isEqualTo(Map.of("name", "Arrow Durfee", "email", "arrow.durfee@example.org"));
        });
        assertThat(commentsReceived).hasSize(16);
        assertThat(result.commentIdsByRef().values()).containsExactlyElementsOf(commentIdsGiven);
        for (SeedThread.Comment c : thread.comments()) {
            Map<?, ?> sent = commentsReceived.get(c.ref() - 1);
            assertThat(sent.get("body")).isEqualTo(c.body());
            assertThat(sent.get("notify")).isEqualTo(true);
            assertThat(sent.get("author")).isEqualTo(Map.of("name", c.author().name(), "email", c.author().email()));
            if (c.parentRef() == null) {
                assertThat(sent.containsKey("parentId")).as("comment %d has no parentId", c.ref()).isFalse();
            } else {
                assertThat(sent.get("parentId")).isEqualTo(result.commentId(c.parentRef()).toString());
            }
        }
    }

    @Test
    void publishesThePostWithTheAuthorsCredentials() {
        assertThatThrownBy(() -> replay(Credentials.basic("arrow.durfee", "wrong"), Duration.ofSeconds(10)).replay(thread))
                .isInstanceOf(ReplayException.class)
                .hasMessageContaining("401");
        assertThat(postsReceived).isEmpty();
    }

    @Test
    void stopsOnAnErrorWithItsStatusAndBody() {
        failCommentWith = 500;
        assertThatThrownBy(() -> replay(Duration.ofSeconds(10)).replay(thread))
                .isInstanceOf(ReplayException.class)
                .hasMessageContaining("500")
                .hasMessageContaining("on purpose");
    }

    @Test
    void givesUpOnANotFoundThatLastsLongerThanTheRetryPeriod() {
        notFoundBeforeReplica.set(Integer.MAX_VALUE);
        assertThatThrownBy(() -> replay(Duration.ofMillis(100)).replay(thread))
                .isInstanceOf(ReplayException.class)
                .hasMessageContaining("404");
    }
}
