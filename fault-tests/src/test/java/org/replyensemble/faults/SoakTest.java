package org.replyensemble.faults;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Scenario 8: a bounded load (2,000 comments over 100 threads from 4 concurrent clients) with
 * one broker restart and one notification-service restart during it. The emails received must
 * be exactly the ones the rules give (about 80 s here, so it stays in the default build).
 */
class SoakTest {

    private static final int THREADS = 100;
    private static final int COMMENTS_PER_THREAD = 20;
    /** Each thread has 6 commenters who come back, so the rule "one email per address" is exercised too. */
    private static final int AUTHORS_PER_THREAD = 6;

    private final FaultEnsemble ensemble = FaultEnsemble.shared();
    private final Blog blog = ensemble.blog();

    @Test
    void theFinalEmailSetIsExactlyWhatTheRulesGive() throws Exception {
        List<ThreadLog> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            threads.add(blog.publishOnly("Soak " + t, new Blog.Person("Owner " + t, "owner" + t + "@soak.faults.example.org")));
        }
        threads.forEach(blog::awaitReplica);
        try (Burst burst = new Burst(blog, threads, COMMENTS_PER_THREAD, AUTHORS_PER_THREAD, "soak.faults.example.org", 4)) {
            await().atMost(Duration.ofMinutes(5)).until(() -> burst.posted() >= burst.total() / 3);
            ensemble.broker.stop();
            ensemble.broker.restart();
            await().atMost(Duration.ofMinutes(5)).until(() -> burst.posted() >= 2 * burst.total() / 3);
            ensemble.restartNotifications();
            burst.awaitPosted();
        }
        ensemble.awaitSettled(threads);

        Figures.count("8 soak", "broker restarted at 1/3, notification-service restarted at 2/3 of "
                        + THREADS * COMMENTS_PER_THREAD + " comments on " + THREADS + " posts", threads, ensemble.mailbox)
                .assertExactlyOnce();
    }
}
