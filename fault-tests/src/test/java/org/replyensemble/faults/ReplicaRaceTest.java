package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Scenario 10: the first comment on a fresh post races the post's event into comment-service's
 * replica. Clients are told a 404 on a fresh post is worth retrying, a 409 ("comments are closed")
 * is not: an open post must never answer 409, whatever the moment the comment lands. Many fresh
 * posts, each first comment retried every 2 ms while it gets 404, so some land while the post
 * event is being applied.
 */
class ReplicaRaceTest {

    private static final int POSTS = 40;

    private final FaultEnsemble ensemble = FaultEnsemble.shared();
    private final Blog blog = ensemble.blog();

    @Test
    void anOpenPostNeverAnswers409WhileItsEventIsBeingApplied() throws Exception {
        Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
        AtomicInteger refusedBeforeTheReplica = new AtomicInteger();
        List<ThreadLog> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int p = 0; p < POSTS; p++) {
                int n = p;
                work.add(clients.submit(() -> {
                    // Published here, so the first comment follows within milliseconds, before the post event is applied.
                    ThreadLog thread = blog.publishOnly("Race " + n, person("owner" + n));
                    threads.add(thread);
                    Blog.Person commenter = person("first" + n);
                    AtomicInteger tries = new AtomicInteger();
                    await().atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).until(() -> {
                        HttpResponse<String> response = blog.commentOnce(thread.postId(), commenter);
                        answers.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                        if (response.statusCode() == 404 && tries.getAndIncrement() == 0) {
                            refusedBeforeTheReplica.incrementAndGet();
                        }
                        if (response.statusCode() == 201) {
                            JsonNode body = Blog.json(response);
                            thread.add(new ThreadLog.Posted(UUID.fromString(body.get("id").asString()),
                                    body.get("position").asInt(), commenter.email()));
                        }
                        return response.statusCode() != 404;
                    });
                }));
            }
            for (Future<?> future : work) {
                future.get(2, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }

        assertThat(answers.keySet()).as("answers seen: %s", answers).isSubsetOf(Set.of(404, 201));
        // The race was run: first comments came before their post's event (404) and then landed (201).
        assertThat(refusedBeforeTheReplica.get()).as("first comments that arrived before their post; answers %s", answers)
                .isPositive();
        assertThat(answers.get(201).get()).isEqualTo(POSTS);
        Set<Integer> positions = new HashSet<>();
        threads.forEach(t -> t.comments().forEach(c -> positions.add(c.position())));
        assertThat(positions).containsExactly(1);

        ensemble.awaitSettled(threads);
        Figures.count("10 first comment races its post", POSTS + " fresh posts, each first comment sent right after the post and"
                + " retried every 2 ms while 404: " + refusedBeforeTheReplica.get() + " arrived before their post ("
                + answers.get(404).get() + " x 404), never a 409", threads, ensemble.mailbox).assertExactlyOnce();
    }

    private static Blog.Person person(String name) {
        return new Blog.Person(name, name + "@race.faults.example.org");
    }
}
