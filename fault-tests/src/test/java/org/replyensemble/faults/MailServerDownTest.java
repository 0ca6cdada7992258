package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Scenario 2: the SMTP server is down. Deliveries stay PENDING with their attempts counted and
 * a growing pause between attempts; when the server is back every email arrives once. With a
 * low attempt limit a delivery turns FAILED, the metric counts it, the operator API lists it,
 * and the retry endpoint sends it (once).
 */
class MailServerDownTest {

    private final FaultEnsemble ensemble = FaultEnsemble.shared();
    private final Blog blog = ensemble.blog();

    @Test
    void deliveriesWaitWithGrowingPausesAndGoOutOnceWhenTheServerIsBack() {
        ThreadLog thread = blog.publish("Mail server down", person("olga"));
        blog.comment(thread, person("ann"), null);
        ensemble.awaitSettled(List.of(thread));

        ensemble.mailbox.stop();
        List<ThreadLog.Posted> during = new ArrayList<>();
        try {
            for (String name : List.of("ben", "cleo", "dan")) {
                during.add(blog.comment(thread, person(name), null));
            }
            UUID watched = during.get(0).commentId();
            List<Long> attemptTimes = new ArrayList<>();
            // The time each new attempt is first seen; polling every 20 ms against pauses of 200 ms and more.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                int attempts = maxAttempts(watched);
                while (attemptTimes.size() < attempts) {
                    attemptTimes.add(System.nanoTime());
                }
                return attempts >= 5;
            });
            long firstPause = attemptTimes.get(1) - attemptTimes.get(0);
            long laterPause = attemptTimes.get(4) - attemptTimes.get(3);
            assertThat(laterPause).as("the pause between attempts grows (backoff)").isGreaterThan(firstPause);
            // Every delivery of the comments made during the outage waits, with its attempts and last error.
            await().atMost(Duration.ofSeconds(30)).until(() -> ensemble.notificationsDb().sql("""
                    select count(*) from delivery where post_id = :post and status = 'PENDING' and attempts >= 1
                       and last_error is not null and sent_at is null""")
                    .param("post", thread.postId()).query(Long.class).single() == 2 + 3 + 4);
        } finally {
            ensemble.mailbox.start();
        }
        ensemble.awaitSettled(List.of(thread));

        Figures.count("2 mail server down", "SMTP server stopped for 3 comments (5+ attempts each), then started",
                List.of(thread), ensemble.mailbox).assertExactlyOnce();
    }

    @Test
    void afterTheLastAttemptADeliveryIsFailedCountedListedAndRetriedByAnOperator() {
        ThreadLog thread = blog.publish("Mail server gone", person("pia"));
        blog.comment(thread, person("quin"), null);
        ensemble.awaitSettled(List.of(thread));
        ensemble.restartNotifications("--notifications.delivery.max-attempts=3");
        try {
            ensemble.mailbox.stop();
            ThreadLog.Posted lost;
            double failedBefore;
            try {
                failedBefore = failedMetric();
                lost = blog.comment(thread, person("rita"), null);
                await().atMost(Duration.ofSeconds(60)).until(() -> ensemble.notificationsDb()
                        .sql("select count(*) from delivery where comment_id = :id and status = 'FAILED'")
                        .param("id", lost.commentId()).query(Long.class).single() == 2);
            } finally {
                ensemble.mailbox.start();
            }
            assertThat(failedMetric() - failedBefore).as("notifications.emails{outcome=failed}").isEqualTo(2);

            HttpResponse<String> listing = Blog.get(ensemble.notificationService()
                    .resolve("/api/deliveries?status=FAILED&commentId=" + lost.commentId()), ensemble.operator());
            assertThat(listing.statusCode()).isEqualTo(200);
            assertThat(listing.body()).as("recipients are masked").doesNotContain(person("pia").email(), person("quin").email());
            JsonNode failed = Blog.json(listing).get("deliveries");
            assertThat(failed).hasSize(2);
            Set<Long> retried = new HashSet<>();
            for (JsonNode delivery : failed) {
                assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
                long id = delivery.get("id").asLong();
                HttpResponse<String> retry = Blog.post(ensemble.notificationService().resolve("/api/deliveries/" + id + "/retry"),
                        ensemble.operator());
                assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
                retried.add(id);
            }
            assertThat(retried).hasSize(2);
            ensemble.awaitSettled(List.of(thread));
            Figures.count("2 mail server down: failed and retried",
                    "SMTP server down past max-attempts (3), 2 FAILED deliveries retried by POST /api/deliveries/{id}/retry",
                    List.of(thread), ensemble.mailbox).assertExactlyOnce();
        } finally {
            ensemble.restartNotifications();
        }
    }

    private int maxAttempts(UUID commentId) {
        JdbcClient db = ensemble.notificationsDb();
        return db.sql("select coalesce(max(attempts), 0) from delivery where comment_id = :id")
                .param("id", commentId).query(Integer.class).single();
    }

    private double failedMetric() {
        HttpResponse<String> response = Blog.get(ensemble.notificationManagement()
                .resolve("/actuator/metrics/notifications.emails?tag=outcome:failed"));
        assertThat(response.statusCode()).isEqualTo(200);
        return Blog.json(response).get("measurements").get(0).get("value").asDouble();
    }

    private static Blog.Person person(String name) {
        return new Blog.Person(name, name + "@mail-gone.faults.example.org");
    }
}
