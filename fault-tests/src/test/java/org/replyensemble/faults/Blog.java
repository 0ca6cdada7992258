package org.replyensemble.faults;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.replyensemble.testing.TestIssuer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of the public REST APIs, as a reader's browser or the seed replay uses them. An author
 * publishes with their own account: a token of the ensemble's test identity provider carrying their
 * name and address (on the compose stack: a configured account's HTTP Basic credentials), which is
 * what the post (and the expected emails) then have.
 */
final class Blog {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Supplier<URI> posts;
    private final Supplier<URI> comments;
    private final Consumer<String> confirmAddress;
    private final Function<Person, String> authorization;

    /**
     * Suppliers: a service restarted on port 0 answers on a new port. {@code confirmAddress} runs
     * before a comment is posted with an address (reply emails go only to confirmed addresses);
     * {@code issuer} signs the tokens each thread's author publishes with.
     */
    Blog(Supplier<URI> posts, Supplier<URI> comments, Consumer<String> confirmAddress, TestIssuer issuer) {
        this(posts, comments, confirmAddress, author -> TestIssuer.bearer(
                issuer.token("author:" + author.email().toLowerCase(), author.name(), author.email(), "AUTHOR")));
    }

    /**
     * {@code authorization}: the {@code Authorization} header each thread's author publishes with,
     * where the services trust no test identity provider (the compose stack: configured accounts, HTTP Basic).
     */
    Blog(Supplier<URI> posts, Supplier<URI> comments, Consumer<String> confirmAddress, Function<Person, String> authorization) {
        this.posts = posts;
        this.comments = comments;
        this.confirmAddress = confirmAddress;
        this.authorization = authorization;
    }

    record Person(String name, String email) {
    }

    /** Publishes a post and waits until comment-service's replica knows it (a comment would get 404 before). */
    ThreadLog publish(String title, Person author) {
        ThreadLog thread = publishOnly(title, author);
        awaitReplica(thread);
        return thread;
    }

    /** Publishes on post-service only; comment-service learns of the post through its event, later. */
    ThreadLog publishOnly(String title, Person author) {
        String account = authorization.apply(author);
        HttpResponse<String> response = send(posts.get().resolve("/api/posts"), Map.of(
                "title", title, "body", "A post for the fault tests: " + title,
                "author", Map.of("name", author.name(), "email", author.email())), account);
        expect(response, 201);
        return new ThreadLog(UUID.fromString(JSON.readTree(response.body()).get("id").asString()), author.email());
    }

    void awaitReplica(ThreadLog thread) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> get(comments.get().resolve("/api/posts/" + thread.postId() + "/comments")).statusCode() == 200);
    }

    /** Posts a comment and records it in the thread's log with the position the service gave it. */
    ThreadLog.Posted comment(ThreadLog thread, Person author, UUID parentId) {
        HttpResponse<String> response = tryComment(thread.postId(), author, parentId);
        expect(response, 201);
        JsonNode body = JSON.readTree(response.body());
        ThreadLog.Posted posted = new ThreadLog.Posted(UUID.fromString(body.get("id").asString()),
                body.get("position").asInt(), author.email().toLowerCase());
        thread.add(posted);
        return posted;
    }

    /** Posts a comment that asks for no replies (notify:false) and records it. */
    ThreadLog.Posted commentWithoutReplies(ThreadLog thread, Person author) {
        confirmAddress.accept(author.email());
        HttpResponse<String> response = send(comments.get().resolve("/api/posts/" + thread.postId() + "/comments"), Map.of(
                "author", Map.of("name", author.name(), "email", author.email()), "body", "No replies for me", "notify", false), null);
        expect(response, 201);
        JsonNode body = JSON.readTree(response.body());
        ThreadLog.Posted posted = new ThreadLog.Posted(UUID.fromString(body.get("id").asString()), body.get("position").asInt(),
                author.email().toLowerCase());
        thread.add(posted);
        return posted;
    }

    /** Posts any JSON body as a comment once, whatever the answer. */
    HttpResponse<String> commentBody(UUID postId, Map<String, Object> body) {
        return send(comments.get().resolve("/api/posts/" + postId + "/comments"), body, null);
    }

    /** Posts a comment once, whatever the answer. */
    HttpResponse<String> commentOnce(UUID postId, Person author) {
        confirmAddress.accept(author.email());
        return send(comments.get().resolve("/api/posts/" + postId + "/comments"), Map.of(
                "author", Map.of("name", author.name(), "email", author.email()), "body", "Comment by " + author.name()), null);
    }

    /** Posts a comment; retries only a 404 (the replica may lag behind a fresh post), answers whatever came. */
    HttpResponse<String> tryComment(UUID postId, Person author, UUID parentId) {
        confirmAddress.accept(author.email());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("author", Map.of("name", author.name(), "email", author.email()));
        body.put("body", "Comment by " + author.name());
        if (parentId != null) {
            body.put("parentId", parentId.toString());
        }
        URI uri = comments.get().resolve("/api/posts/" + postId + "/comments");
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last.set(send(uri, body, null));
            return last.get().statusCode() != 404;
        });
        return last.get();
    }

    static HttpResponse<String> get(URI uri) {
        return get(uri, null);
    }

    /** A GET with these credentials (an operator's call), or none. */
    static HttpResponse<String> get(URI uri, String authorization) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + uri + " failed", e);
        }
    }

    /** A POST without a body, as an operator's call: with credentials, and JSON as every such call must be. */
    static HttpResponse<String> post(URI uri, String authorization) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Authorization", authorization).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("POST " + uri + " failed", e);
        }
    }

    /** An RFC 8058 one-click unsubscribe, as a mail client sends it for the List-Unsubscribe header's link. */
    static HttpResponse<String> oneClickUnsubscribe(URI link) {
        try {
            return HTTP.send(HttpRequest.newBuilder(link).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("POST " + link + " failed", e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(URI uri, Object body, String authorization) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("POST " + uri + " failed", e);
        }
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new AssertionError(response.request().method() + " " + response.uri() + " answered "
                    + response.statusCode() + " instead of " + status + ": " + response.body());
        }
    }
}
