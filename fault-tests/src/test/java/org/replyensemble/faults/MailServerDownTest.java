package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Scenario 2: the SMTP server is down. Under the shipped retry policy (its shape, in compressed
 * time: {@link FaultEnsemble#RETRY_TIME_COMPRESSION}) deliveries stay PENDING with their attempts
 * counted and a growing pause between attempts, for far longer than the 8 attempts (about 4
 * minutes) of earlier versions; when the server is back every email arrives once. Past the max
 * age a delivery turns FAILED, the metric counts it, the operator API lists it, and the bulk retry
 * sends it (once).
 */
class MailServerDownTest {

    /** The earlier policy gave up after 8 attempts doubling from 2 s: 254 s. */
    private static final Duration OLD_GIVE_UP = Duration.ofSeconds(254);

    private final FaultEnsemble ensemble = FaultEnsemble.shared();
    private final Blog blog = ensemble.blog();

    @Test
    void anOutageLongerThanTheOldRetriesFailsNothingAndEveryEmailGoesOutOnceWhenTheServerIsBack() {
        ThreadLog thread = blog.publish("Mail server down", person("olga"));
        blog.comment(thread, person("ann"), null);
        ensemble.awaitSettled(List.of(thread));

        Duration outage = OLD_GIVE_UP.multipliedBy(3).dividedBy(FaultEnsemble.RETRY_TIME_COMPRESSION);
        ensemble.mailbox.stop();
        List<ThreadLog.Posted> during = new ArrayList<>();
        try {
            for (String name : List.of("ben", "cleo", "dan")) {
                during.add(blog.comment(thread, person(name), null));
            }
            UUID watched = during.get(0).commentId();
            List<Long> attemptTimes = new ArrayList<>();
            // The time each new attempt is first seen; polling every 5 ms against pauses of 20 ms and more.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
                int attempts = maxAttempts(watched);
                while (attemptTimes.size() < attempts) {
                    attemptTimes.add(System.nanoTime());
                }
                return attempts >= 6;
            });
            long firstPause = attemptTimes.get(2) - attemptTimes.get(1);
            long laterPause = attemptTimes.get(5) - attemptTimes.get(4);
            assertThat(laterPause).as("the pause between attempts grows (backoff)").isGreaterThan(firstPause);
            // Down for three times the old policy's whole life (compressed alike), every delivery retried 5+ times.
            await().atMost(outage.plusSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> ensemble.notificationsDb().sql("""
                    select count(*) from delivery where post_id = :post and status = 'PENDING' and attempts >= 5
                       and last_error is not null and sent_at is null
                       and first_failed_at < now() - make_interval(secs => :outage)""")
                    .param("post", thread.postId()).param("outage", (double) outage.toMillis() / 1000)
                    .query(Long.class).single() == 2 + 3 + 4);
            assertThat(ensemble.notificationsDb().sql("select count(*) from delivery where post_id = :post and status = 'FAILED'")
                    .param("post", thread.postId()).query(Long.class).single()).as("nothing FAILED").isZero();
        } finally {
            ensemble.mailbox.start();
        }
        ensemble.awaitSettled(List.of(thread));

        Figures.count("2 mail server down", "SMTP server stopped for 3 comments, " + outage.toMillis() / 1000.0
                        + " s = 3x the old policy's 254 s at 1/" + FaultEnsemble.RETRY_TIME_COMPRESSION
                        + " time (5+ attempts each, growing pauses, none FAILED), then started",
                List.of(thread), ensemble.mailbox).assertExactlyOnce();
    }

    @Test
    void pastTheMaxAgeADeliveryIsFailedCountedListedAndRetriedInBulkByAnOperator() {
        ThreadLog thread = blog.publish("Mail server gone", person("pia"));
        blog.comment(thread, person("quin"), null);
        ensemble.awaitSettled(List.of(thread));
        // Pages of 2 candidates: the fan-out of rita's comment (pia, quin, sid before her) reads two pages.
        ensemble.restartNotifications("--notifications.delivery.max-age=2s", "--notifications.fan-out.page-size=2");
        try {
            blog.comment(thread, person("sid"), null);
            ensemble.awaitSettled(List.of(thread));
            ensemble.mailbox.stop();
            ThreadLog.Posted lost;
            double failedBefore;
            try {
                failedBefore = failedMetric();
                lost = blog.comment(thread, person("rita"), null);
                await().atMost(Duration.ofSeconds(60)).until(() -> ensemble.notificationsDb()
                        .sql("select count(*) from delivery where comment_id = :id and status = 'FAILED'")
                        .param("id", lost.commentId()).query(Long.class).single() == 3);
            } finally {
                ensemble.mailbox.start();
            }
            assertThat(failedMetric() - failedBefore).as("notifications.emails{outcome=failed}").isEqualTo(3);

            HttpResponse<String> listing = Blog.get(ensemble.notificationService()
                    .resolve("/api/deliveries?status=FAILED&commentId=" + lost.commentId()), ensemble.operator());
            assertThat(listing.statusCode()).isEqualTo(200);
            assertThat(listing.body()).as("recipients are masked")
                    .doesNotContain(person("pia").email(), person("quin").email(), person("sid").email());
            JsonNode failed = Blog.json(listing).get("deliveries");
            assertThat(failed).as("one per participant, across two pages of candidates").hasSize(3);
            for (JsonNode delivery : failed) {
                assertThat(delivery.get("attempts").asInt()).isGreaterThanOrEqualTo(2);
                assertThat(delivery.get("statusReason").asString()).startsWith("gave up after");
            }
            HttpResponse<String> retry = Blog.post(ensemble.notificationService().resolve("/api/deliveries/retry?status=FAILED&postId="
                    + thread.postId() + "&commentId=" + lost.commentId() + "&createdFrom=" + Instant.now().minusSeconds(600)), ensemble.operator());
            assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
            assertThat(Blog.json(retry).get("retried").asInt()).isEqualTo(3);
            ensemble.awaitSettled(List.of(thread));
            Figures.count("2 mail server down: failed and retried",
                    "SMTP server down past max-age (2 s): 3 FAILED deliveries (fanned out over 2 candidate pages) put back by one"
                            + " POST /api/deliveries/retry",
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
