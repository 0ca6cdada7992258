package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Scenario 8: a bounded load (1,200 comments over 60 threads from 4 concurrent clients) with
 * one broker restart and one notification-service restart during it, both while comments are
 * still coming in. The emails received must be exactly the ones the rules give. The load is sized
 * to keep the whole build under its 15 minutes (2,000 comments took 110 s of it); the bench
 * measures the pipeline under load, this test its guarantees.
 */
class SoakTest {

    private static final int THREADS = 60;
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
        int postedAtBrokerStop;
        int postedAtRestart;
        try (Burst burst = new Burst(blog, threads, COMMENTS_PER_THREAD, AUTHORS_PER_THREAD, "soak.faults.example.org", 4)) {
            await().atMost(Duration.ofMinutes(5)).until(() -> burst.posted() >= burst.total() / 3);
            postedAtBrokerStop = burst.posted();
            ensemble.broker.stop();
            assertThat(ensemble.broker.isRunning()).as("the fault happened: the broker process is gone").isFalse();
            ensemble.broker.restart();
            await().atMost(Duration.ofMinutes(5)).until(() -> burst.posted() >= 2 * burst.total() / 3);
            postedAtRestart = burst.posted();
            ensemble.restartNotifications();
            assertThat(postedAtRestart).as("the burst was still running when notification-service restarted").isLessThan(burst.total());
            burst.awaitPosted();
        }
        ensemble.awaitSettled(threads);

        Figures.count("8 soak", "broker restarted at comment " + postedAtBrokerStop + ", notification-service restarted at comment "
                        + postedAtRestart + " of " + THREADS * COMMENTS_PER_THREAD + " on " + THREADS + " posts", threads, ensemble.mailbox)
                .assertExactlyOnce();
    }
}
