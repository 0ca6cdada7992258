package org.replyensemble.local.seeds;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.replyensemble.local.accounts.Credentials;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays a {@link SeedThread} through the public REST APIs, as a client would: publishes the post
 * on post-service with the author's account, then posts each comment in order on comment-service
 * (anonymously, as readers do), answering the comment its {@code parentRef} names.
 * <p>
 * A fresh post reaches comment-service's replica over Kafka a moment after post-service answered,
 * so a 404 on a comment is retried briefly (every 200 ms for up to 30 s by default). Any other
 * answer outside 2xx stops the replay with the status and the body.
 * <p>
 * Holds no state beyond the base URIs and the credentials: the local launcher and the system tests
 * both use it. Run it on its own against running services with
 * {@code SEED_AUTHOR=username:password java -cp ... org.replyensemble.local.seeds.SeedReplay [seedFile] [postBase] [commentBase]},
 * the username and password of an AUTHOR account with the seed post's author's name and address.
 */
public class SeedReplay {

    private static final Duration DEFAULT_RETRY_EVERY = Duration.ofMillis(200);
    private static final Duration DEFAULT_RETRY_FOR = Duration.ofSeconds(30);
    /** How long a request waits for a service that refuses connections, as one does while it restarts. */
    private static final Duration RESTART_WAIT = Duration.ofSeconds(90);

    private final URI postServiceBase;
    private final URI commentServiceBase;
    private final Credentials author;
    private final Duration retryEvery;
    private final Duration retryFor;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    /** @param author an AUTHOR account whose name and address are the seed post's author's */
    public SeedReplay(URI postServiceBase, URI commentServiceBase, Credentials author) {
        this(postServiceBase, commentServiceBase, author, DEFAULT_RETRY_EVERY, DEFAULT_RETRY_FOR);
    }

    public SeedReplay(URI postServiceBase, URI commentServiceBase, Credentials author, Duration retryEvery, Duration retryFor) {
        this.postServiceBase = withoutTrailingSlash(postServiceBase);
        this.commentServiceBase = withoutTrailingSlash(commentServiceBase);
        this.author = author;
        this.retryEvery = retryEvery;
        this.retryFor = retryFor;
    }

    public ReplayResult replay(SeedThread thread) {
        UUID postId = createPost(thread.post());
        Map<Integer, UUID> commentIds = new LinkedHashMap<>();
        for (SeedThread.Comment comment : thread.comments()) {
            UUID parentId = null;
            if (comment.parentRef() != null) {
                parentId = commentIds.get(comment.parentRef());
                if (parentId == null) {
                    throw new ReplayException("comment " + comment.ref() + " answers comment "
                            + comment.parentRef() + ", which does not come before it");
                }
            }
            commentIds.put(comment.ref(), createComment(postId, comment, parentId));
        }
        return new ReplayResult(postId, thread.post().slug(), commentIds);
    }

    private UUID createPost(SeedThread.Post post) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", post.title());
        body.put("body", post.body());
        if (post.slug() != null) {
            body.put("slug", post.slug());
        }
        // The post is the account's; its author object may only repeat the account's name and address.
        body.put("author", author(post.author()));
        URI uri = URI.create(postServiceBase + "/api/posts");
        HttpResponse<String> response = post(uri, body, author);
        requireSuccess(uri, response);
        return idOf(uri, response);
    }

    private UUID createComment(UUID postId, SeedThread.Comment comment, UUID parentId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("author", author(comment.author()));
        body.put("body", comment.body());
        if (parentId != null) {
            body.put("parentId", parentId.toString());
        }
        body.put("notify", comment.notifyMe());
        URI uri = URI.create(commentServiceBase + "/api/posts/" + postId + "/comments");
        long deadline = System.nanoTime() + retryFor.toNanos();
        HttpResponse<String> response = post(uri, body, null);
        while (response.statusCode() == 404 && System.nanoTime() < deadline) {
            pause();
            response = post(uri, body, null);
        }
        requireSuccess(uri, response);
        return idOf(uri, response);
    }

    private static Map<String, Object> author(SeedThread.Author author) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", author.name());
        map.put("email", author.email());
        return map;
    }

    private HttpResponse<String> post(URI uri, Map<String, Object> body, Credentials credentials) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (credentials != null) {
            request.header("Authorization", credentials.authorization());
        }
        long deadline = System.nanoTime() + RESTART_WAIT.toNanos();
        try {
            while (true) {
                try {
                    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                } catch (ConnectException e) {
                    // Refused before anything was sent: the service is restarting (the supervisor
                    // brings it back), so the request can be repeated without doing anything twice.
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    pause();
                }
            }
        } catch (IOException e) {
            throw new ReplayException("POST " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayException("interrupted during POST " + uri, e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(retryEvery.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayException("interrupted while waiting to retry", e);
        }
    }

    private static void requireSuccess(URI uri, HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new ReplayException("POST " + uri + " -> " + response.statusCode() + ": " + response.body());
        }
    }

    private UUID idOf(URI uri, HttpResponse<String> response) {
        Object id;
        try {
            id = json.readValue(response.body(), Map.class).get("id");
        } catch (RuntimeException e) {
            throw new ReplayException("POST " + uri + " answered without a JSON body: " + response.body(), e);
        }
        if (id == null) {
            throw new ReplayException("POST " + uri + " answered without an id: " + response.body());
        }
        return UUID.fromString(id.toString());
    }

    private static URI withoutTrailingSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
    }

    public static void main(String[] args) {
        Path seedFile = args.length > 0 ? Path.of(args[0]) : SeedFiles.thread();
        URI postBase = URI.create(args.length > 1 ? args[1] : "http://localhost:8081");
        URI commentBase = URI.create(args.length > 2 ? args[2] : "http://localhost:8082");
        String author = System.getenv("SEED_AUTHOR");
        if (author == null || !author.contains(":")) {
            System.err.println("Set SEED_AUTHOR=username:password, an AUTHOR account with the seed post author's name and address");
            System.exit(2);
        }
        SeedThread thread = SeedThread.read(seedFile);
        Credentials credentials = Credentials.basic(author.substring(0, author.indexOf(':')), author.substring(author.indexOf(':') + 1));
        ReplayResult result = new SeedReplay(postBase, commentBase, credentials).replay(thread);
        System.out.println("Replayed " + seedFile + ": post " + result.postId() + " with "
                + result.commentIds().size() + " comments");
        result.commentIdsByRef().forEach((ref, id) -> System.out.println("  comment " + ref + " -> " + id));
    }
}
