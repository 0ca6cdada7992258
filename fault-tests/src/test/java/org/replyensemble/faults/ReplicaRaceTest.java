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
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import tools.jackson.databind.JsonNode;

/**
 * Scenario 10: the first comment on a fresh post races the post's event into comment-service's
 * replica. Clients are told a 404 on a fresh post is worth retrying, a 409 ("comments are closed")
 * is not: an open post must never answer 409, whatever the moment the comment lands. So that the
 * race is run every time (the replica is often faster than the first comment), comment-service's
 * post consumer is paused while the posts are published and their first comments refused with 404,
 * then resumed while clients keep sending those comments, round after round, as the events are applied.
 */
class ReplicaRaceTest {

    private static final int POSTS = 40;
    private static final int CLIENTS = 4;

    private final FaultEnsemble ensemble = FaultEnsemble.shared();
    private final Blog blog = ensemble.blog();

    @Test
    void anOpenPostNeverAnswers409WhileItsEventIsBeingApplied() throws Exception {
        List<MessageListenerContainer> replicaConsumers = new ArrayList<>(ensemble.commentContext()
                .getBean(KafkaListenerEndpointRegistry.class).getListenerContainers());
        Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
        List<ThreadLog> threads = new ArrayList<>();
        List<Blog.Person> commenters = new ArrayList<>();
        Map<UUID, Integer> refusals = new ConcurrentHashMap<>();
        replicaConsumers.forEach(MessageListenerContainer::pause);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> replicaConsumers.stream().allMatch(MessageListenerContainer::isContainerPaused));
            for (int p = 0; p < POSTS; p++) {
                threads.add(blog.publishOnly("Race " + p, person("owner" + p)));
                commenters.add(person("first" + p));
            }
            // Every first comment comes before its post: 404, the answer clients retry.
            for (int p = 0; p < POSTS; p++) {
                assertThat(attempt(threads.get(p), commenters.get(p), answers, refusals)).isEqualTo(404);
            }
        } finally {
            replicaConsumers.forEach(MessageListenerContainer::resume);
        }
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                work.add(clients.submit(() -> {
                    Set<Integer> mine = new HashSet<>();
                    for (int p = client; p < POSTS; p += CLIENTS) {
                        mine.add(p);
                    }
                    // Round after round over this client's posts while their events are being applied.
                    await().atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).until(() -> {
                        mine.removeIf(p -> attempt(threads.get(p), commenters.get(p), answers, refusals) != 404);
                        return mine.isEmpty();
                    });
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get(2, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }

        assertThat(answers.keySet()).as("answers seen: %s", answers).isSubsetOf(Set.of(404, 201));
        assertThat(answers.get(201).get()).isEqualTo(POSTS);
        Set<Integer> positions = new HashSet<>();
        threads.forEach(t -> t.comments().forEach(c -> positions.add(c.position())));
        assertThat(positions).containsExactly(1);

        ensemble.awaitSettled(threads);
        Figures.count("10 first comment races its post", POSTS + " fresh posts, each first comment refused (404) before its post"
                + " event, then sent round after round while the events were applied: " + answers.get(404).get()
                + " x 404, never a 409", threads, ensemble.mailbox).assertExactlyOnce();
    }

    private int attempt(ThreadLog thread, Blog.Person commenter, Map<Integer, AtomicInteger> answers, Map<UUID, Integer> refusals) {
        HttpResponse<String> response = blog.commentOnce(thread.postId(), commenter);
        answers.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
        if (response.statusCode() == 404) {
            refusals.merge(thread.postId(), 1, Integer::sum);
        }
        if (response.statusCode() == 201) {
            JsonNode body = Blog.json(response);
            thread.add(new ThreadLog.Posted(UUID.fromString(body.get("id").asString()), body.get("position").asInt(),
                    commenter.email()));
        }
        return response.statusCode();
    }

    private static Blog.Person person(String name) {
        return new Blog.Person(name, name + "@race.faults.example.org");
    }
}
