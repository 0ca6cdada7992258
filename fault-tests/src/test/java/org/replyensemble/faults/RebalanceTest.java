package org.replyensemble.faults;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 7: two notification-service instances in one consumer group, with a rebalance in the
 * middle of a burst: the second instance starts (partitions move to it), then the first stops
 * (they all move back). Every expected email is sent exactly once.
 */
class RebalanceTest {

    private final FaultEnsemble ensemble = FaultEnsemble.shared();
    private final Blog blog = ensemble.blog();

    @Test
    void everyEmailOnceAcrossARebalanceMidBurst() throws Exception {
        List<ThreadLog> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(blog.publish("Rebalance " + t, new Blog.Person("Owner " + t, "owner" + t + "@rebalance.faults.example.org")));
        }
        ConfigurableApplicationContext first = ensemble.notificationInstance();
        try (Burst burst = new Burst(blog, threads, 10, 10, "rebalance.faults.example.org", 2)) {
            await().atMost(Duration.ofMinutes(2)).until(() -> burst.posted() >= burst.total() / 3);
            ensemble.startNotifications();
            await().atMost(Duration.ofMinutes(2)).until(() -> burst.posted() >= 2 * burst.total() / 3);
            ensemble.stopNotifications(first);
            burst.awaitPosted();
        }
        ensemble.awaitSettled(threads);

        Figures.count("7 rebalance mid-burst", "second instance started at 1/3 of the burst, first stopped at 2/3",
                threads, ensemble.mailbox).assertExactlyOnce();
    }
}
