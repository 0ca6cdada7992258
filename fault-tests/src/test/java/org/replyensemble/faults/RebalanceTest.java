package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.Topics;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Scenario 7: two notification-service instances in one consumer group, with a rebalance in the
 * middle of a burst: the second instance starts (comment partitions move to it), then the first
 * stops (they all move back). The test reads the assignments to prove the partitions really moved
 * while comments were still coming in. Every expected email is sent exactly once.
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
        // One consumer per partition joins the group one by one: wait until the instance holds them all.
        await().atMost(Duration.ofMinutes(1)).until(() -> commentPartitions(first).size() == Topics.PARTITIONS);
        int postedAtJoin;
        int postedAtLeave;
        try (Burst burst = new Burst(blog, threads, 30, 6, "rebalance.faults.example.org", 2).pace(Duration.ofMillis(100))) {
            await().atMost(Duration.ofMinutes(2)).until(() -> burst.posted() >= burst.total() / 6);
            ConfigurableApplicationContext second = ensemble.startNotifications();
            await().atMost(Duration.ofMinutes(1)).until(() -> !commentPartitions(second).isEmpty()
                    && commentPartitions(first).size() + commentPartitions(second).size() == Topics.PARTITIONS);
            postedAtJoin = burst.posted();
            assertThat(commentPartitions(first)).as("partitions moved to the second instance").hasSizeLessThan(Topics.PARTITIONS);
            assertThat(postedAtJoin).as("the burst was still running when partitions moved").isLessThan(burst.total());

            ensemble.stopNotifications(first);
            await().atMost(Duration.ofMinutes(1)).until(() -> commentPartitions(second).size() == Topics.PARTITIONS);
            postedAtLeave = burst.posted();
            assertThat(postedAtLeave).as("the burst was still running when they moved back").isLessThan(burst.total());
            burst.pace(Duration.ZERO);
            burst.awaitPosted();
        }
        ensemble.awaitSettled(threads);

        Figures.count("7 rebalance mid-burst", "second instance joined (partitions split) at comment " + postedAtJoin
                        + " of 240, first left (all 6 moved back) at " + postedAtLeave, threads, ensemble.mailbox)
                .assertExactlyOnce();
    }

    /** The comment-topic partitions this instance's listener holds now. */
    private static Set<TopicPartition> commentPartitions(ConfigurableApplicationContext instance) {
        if (!instance.isActive()) {
            return Set.of();
        }
        MessageListenerContainer container = instance.getBean(KafkaListenerEndpointRegistry.class)
                .getListenerContainer("notifications-comments");
        Collection<TopicPartition> assigned = container == null ? null : container.getAssignedPartitions();
        return assigned == null ? Set.of() : new HashSet<>(assigned);
    }
}
