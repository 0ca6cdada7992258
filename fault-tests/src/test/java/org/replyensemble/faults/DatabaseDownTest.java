package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Scenario 4: a service's database is unreachable for a while (its connection is cut by a TCP
 * forwarder). Requests fail fast with a 503 problem and store nothing; the service's consumers
 * retry the record they are on until the database is back, then go on: no record is skipped or
 * dead-lettered, and every email goes out once.
 */
class DatabaseDownTest {

    private final FaultEnsemble ensemble = FaultEnsemble.shared();
    private final Blog blog = ensemble.blog();

    @Test
    void notificationServiceDatabaseDown() {
        ThreadLog thread = blog.publish("Notification database down", person("olga"));
        blog.comment(thread, person("ann"), null);
        ensemble.awaitSettled(List.of(thread));
        double deadBefore = deadLettered(ensemble.notificationInstance(), "blog.comments.v1");
        double retriedBefore = FaultEnsemble.metric(ensemble.notificationInstance(), "events.retried", "topic", "blog.comments.v1");

        ensemble.notificationsDatabase.stop();
        try {
            assertUnavailable(Blog.get(ensemble.notificationService().resolve("/api/deliveries?commentId="
                    + thread.comments().get(0).commentId()), ensemble.operator()));
            for (String name : List.of("ben", "cleo", "dan")) {
                blog.comment(thread, person(name), null);
            }
            // The events are on the topic while the consumer cannot apply them.
            await().atMost(Duration.ofSeconds(60)).until(() -> ensemble.commentsDb()
                    .sql("select count(*) from outbox_message where published_at is null").query(Long.class).single() == 0);
            // The fault really reached the consumer: it failed on a record and is retrying it (with a growing pause).
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> FaultEnsemble.metric(
                    ensemble.notificationInstance(), "events.retried", "topic", "blog.comments.v1") >= retriedBefore + 2);
        } finally {
            ensemble.notificationsDatabase.start();
        }
        ensemble.awaitSettled(List.of(thread));

        assertThat(deadLettered(ensemble.notificationInstance(), "blog.comments.v1")).as("nothing dead-lettered")
                .isEqualTo(deadBefore);
        Figures.count("4 database down: notification-service", "its database cut off while 3 comments were consumed",
                List.of(thread), ensemble.mailbox).assertExactlyOnce();
    }

    @Test
    void commentServiceDatabaseDown() {
        ThreadLog thread = blog.publish("Comment database down", person("pia"));
        blog.comment(thread, person("quin"), null);
        ensemble.awaitSettled(List.of(thread));
        double deadBefore = deadLettered(ensemble.commentContext(), "blog.posts.v1");
        double retriedBefore = FaultEnsemble.metric(ensemble.commentContext(), "events.retried", "topic", "blog.posts.v1");

        ThreadLog later;
        ensemble.commentsDatabase.stop();
        try {
            HttpResponse<String> refused = blog.tryComment(thread.postId(), person("rita"), null);
            assertUnavailable(refused);
            assertUnavailable(Blog.get(ensemble.commentService().resolve("/api/posts/" + thread.postId() + "/comments")));
            // A post published meanwhile: comment-service's consumer cannot store it yet and must not skip it.
            later = blog.publishOnly("Published while comment-service's database was down", person("sam"));
            // Its consumer really failed on that post event and is retrying it.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> FaultEnsemble.metric(
                    ensemble.commentContext(), "events.retried", "topic", "blog.posts.v1") >= retriedBefore + 2);
        } finally {
            ensemble.commentsDatabase.start();
        }

        // Back once the pool has a connection again (a restarted container accepts connections a moment
        // after its port opens, and the first requests may still meet the broken connections).
        HttpResponse<String> stored = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> Blog.get(ensemble.commentService().resolve("/api/posts/" + thread.postId() + "/comments")),
                        response -> response.statusCode() == 200);
        assertThat(Blog.json(stored).get("totalElements").asInt()).as("the refused comment left nothing behind").isEqualTo(1);
        assertThat(ensemble.commentsDb().sql("select count(*) from outbox_message where message_key = :key")
                .param("key", thread.postId().toString()).query(Long.class).single()).isEqualTo(1);
        blog.awaitReplica(later);
        blog.comment(later, person("tom"), null);
        blog.comment(thread, person("rita"), null);
        ensemble.awaitSettled(List.of(thread, later));

        assertThat(deadLettered(ensemble.commentContext(), "blog.posts.v1")).as("nothing dead-lettered").isEqualTo(deadBefore);
        Figures.count("4 database down: comment-service", "its database cut off: 1 comment refused with 503, 1 post event"
                + " consumed late", List.of(thread, later), ensemble.mailbox).assertExactlyOnce();
    }

    private static void assertUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        JsonNode problem = Blog.json(response);
        assertThat(problem.get("type").asString()).isEqualTo("https://replyensemble.org/problems/service-unavailable");
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(problem.get("title").asString()).isEqualTo("Service temporarily unavailable");
    }

    private static double deadLettered(ConfigurableApplicationContext context, String topic) {
        Counter counter = context.getBean(MeterRegistry.class).find("events.dead_lettered").tag("topic", topic).counter();
        return counter == null ? 0 : counter.count();
    }

    private static Blog.Person person(String name) {
        return new Blog.Person(name, name + "@database-down.faults.example.org");
    }
}
