package org.replyensemble.bench.scenarios;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.replyensemble.bench.ensemble.Ensemble;
import org.replyensemble.bench.ensemble.EnsembleApi;
import org.replyensemble.bench.ensemble.EnsembleApi.Person;
import org.replyensemble.bench.load.Latencies;
import org.replyensemble.bench.report.Results.PageRender;

/**
 * Scenario 6: the thread page of a 10,000-comment thread (issue 8: "opens in well under a second").
 * The comments are written straight into comment-service's database (10,000 through the REST API
 * would take longer than the measurement, and the rate limits would refuse them); the post comes
 * through post-service and its events like any other. The thread's shape:
 * <ul>
 *   <li>1,400 top-level comments, each with a chain of 4 replies (depths 1 to 4): 7,000 comments;</li>
 *   <li>3,000 more replies straight to the first top-level comment: one subtree of 3,004 replies.</li>
 * </ul>
 * Then each page is fetched {@code requests} times in a row by one client (after a warm-up), and
 * the time to the last byte is recorded: first page (the big subtree's first 20 replies with it),
 * a middle page, the redirect of an email link to a late comment (303 answered, not followed),
 * and a page of the big subtree.
 */
public final class ThreadPageScenario {

    public static final int COMMENTS = 10_000;
    private static final int CHAINED = 7_000;
    private static final int CHAIN = 5;

    private final Ensemble ensemble;
    private final EnsembleApi api;
    private final HttpClient client;

    public ThreadPageScenario(Ensemble ensemble, EnsembleApi api, HttpClient client) {
        this.ensemble = ensemble;
        this.api = api;
        this.client = client;
    }

    public List<PageRender> run(int requests, int warmUp) throws Exception {
        UUID postId = api.createPost("A thread of " + COMMENTS + " comments", new Person("Page author", "page-author@bench.test"));
        String slug;
        try (Connection comments = ensemble.database("comments")) {
            Sql.await(comments, Duration.ofSeconds(60), 1, "select count(*) from post_replica where id = ?", postId);
            slug = Sql.text(comments, "select slug from post_replica where id = ?", postId);
            // ids derived from the post and the position, so a reply can name its parent and its root in SQL
            String id = "md5(?::text || '-' || %s)::uuid";
            Sql.update(comments, """
                    insert into comment (id, post_id, parent_id, root_id, position, depth, author_name, author_email, body,
                                         notify, created_at)
                    select %s, ?,
                           case when (g - 1) %% %d = 0 then null else %s end,
                           case when (g - 1) %% %d = 0 then null else %s end,
                           g, (g - 1) %% %d, 'Reader ' || g, 'page-' || g || '@bench.test',
                           'Comment ' || g || E' of the benchmark thread.\\nIt has a second line and a link: https://example.org/' || g,
                           true, now() - make_interval(secs => %d - g)
                      from generate_series(1, %d) g""".formatted(id.formatted("g"), CHAIN, id.formatted("g - 1"), CHAIN,
                    id.formatted("g - (g - 1) % " + CHAIN), CHAIN, COMMENTS, CHAINED),
                    postId, postId, postId, postId);
            Sql.update(comments, """
                    insert into comment (id, post_id, parent_id, root_id, position, depth, author_name, author_email, body,
                                         notify, created_at)
                    select %s, ?, %s, %s, g, 1, 'Reader ' || g, 'page-' || g || '@bench.test',
                           'A reply to the first comment, number ' || g || '.', true, now() - make_interval(secs => %d - g)
                      from generate_series(%d, %d) g""".formatted(id.formatted("g"), id.formatted("1"), id.formatted("1"),
                    COMMENTS, CHAINED + 1, COMMENTS),
                    postId, postId, postId, postId);
            Sql.update(comments, "update post_replica set comment_count = ? where id = ?", COMMENTS, postId);
            Sql.update(comments, "analyze comment");
            if (Sql.number(comments, "select count(*) from comment where post_id = ?", postId) != COMMENTS) {
                throw new IllegalStateException("the thread was not seeded");
            }
        }
        String base = ensemble.comments().baseUrl();
        String lateComment;
        String firstRoot;
        try (Connection comments = ensemble.database("comments")) {
            lateComment = Sql.text(comments, "select id::text from comment where post_id = ? and position = ?", postId, COMMENTS - 1);
            firstRoot = Sql.text(comments, "select id::text from comment where post_id = ? and position = 1", postId);
        }
        List<String[]> pages = List.of(
                new String[] { "first page (20 top-level comments with up to 20 replies each)", "/posts/" + slug },
                new String[] { "page 35 of 70", "/posts/" + slug + "?page=35" },
                new String[] { "email link to comment 9,999 (303 to its page)", "/posts/" + slug + "/comments/" + lateComment },
                new String[] { "replies of the 3,004-reply subtree, page 30 of 31", "/posts/" + slug + "/comments/" + firstRoot
                        + "/replies?page=30" });
        List<PageRender> results = new ArrayList<>();
        for (String[] page : pages) {
            URI uri = URI.create(base + page[1]);
            long bytes = 0;
            for (int i = 0; i < warmUp; i++) {
                fetch(uri);
            }
            Latencies latencies = new Latencies();
            for (int i = 0; i < requests; i++) {
                long start = System.nanoTime();
                bytes = fetch(uri);
                latencies.recordNanos(System.nanoTime() - start);
            }
            results.add(new PageRender(page[0], page[1], bytes, latencies.summary()));
        }
        return results;
    }

    private long fetch(URI uri) throws Exception {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200 && response.statusCode() != 303) {
            throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
        }
        return response.body().length;
    }
}
