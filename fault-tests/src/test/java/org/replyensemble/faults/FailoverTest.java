package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.Topics;
import org.replyensemble.local.services.ServiceProcess;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Scenario 12: failover. Two notification-service instances share the comment partitions; one (a
 * process, sending through an SMTP hop that holds every answer so it always has a claimed batch in
 * flight) is killed with SIGKILL. Measured with the shipped session timeout and claim lease: the
 * time from the kill to the survivor's first email for a comment on the dead member's partitions,
 * and to the survivor's first email of the batch the dead member had claimed. Nothing is lost; a
 * duplicate is possible only for the message whose answer was in flight at the kill, one per
 * sender thread of the dead process.
 */
class FailoverTest {

    private static final int SENDERS = 2;
    /** The shipped values (notification-service.yml) the figures are measured with. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLAIM_LEASE = Duration.ofSeconds(15);

    private final FaultEnsemble ensemble = FaultEnsemble.shared();
    private final Blog blog = ensemble.blog();

    @Test
    void theSurvivorTakesOverTheDeadMembersThreadsAndItsClaimedBatch() throws Exception {
        ConfigurableApplicationContext survivor = ensemble.notificationInstance();
        ServiceProcess doomed = null;
        try (SlowSmtpProxy proxy = new SlowSmtpProxy(ensemble.mailbox.port())) {
            proxy.holdEveryAnswer(Duration.ofSeconds(2));
            doomed = ensemble.startNotificationProcess("--spring.mail.port=" + proxy.port(),
                    "--notifications.delivery.senders=" + SENDERS, "--notifications.delivery.batch-size=20");
            await().atMost(Duration.ofMinutes(1)).until(() -> !commentPartitions(survivor).isEmpty()
                    && commentPartitions(survivor).size() < Topics.PARTITIONS);
            Set<Integer> deadPartitions = new HashSet<>();
            for (int p = 0; p < Topics.PARTITIONS; p++) {
                deadPartitions.add(p);
            }
            commentPartitions(survivor).forEach(tp -> deadPartitions.remove(tp.partition()));

            // A thread on one of the doomed member's partitions, with enough participants for a batch per comment.
            ThreadLog thread = null;
            for (int t = 0; thread == null; t++) {
                ThreadLog candidate = blog.publish("Failover " + t, person("owner" + t));
                if (deadPartitions.contains(partitionOf(candidate.postId()))) {
                    thread = candidate;
                }
            }
            for (int c = 0; c < 12; c++) {
                blog.comment(thread, person("early" + c), null);
            }
            // The doomed instance holds a claimed batch (its answers are held): wait until it does.
            ThreadLog watched = thread;
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> proxy.heldAnswers() >= 2
                    && claimed(watched).size() > 0);

            Map<Long, UUID> claimedAtKill = claimed(thread);
            OffsetDateTime killedAt = now();
            doomed.kill();
            long killed = System.nanoTime();
            ThreadLog.Posted after = blog.comment(thread, person("after"), null);
            // The dead member's claims: rows that stay claimed by the same token (the survivor's own batches take milliseconds).
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !sameClaims(claimedAtKill, claimed(watched)).isEmpty());
            Set<Long> deadBatch = sameClaims(claimedAtKill, claimed(thread));
            assertThat(deadBatch).as("the killed instance had claimed deliveries it never marked").isNotEmpty();

            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> ensemble.mailbox.received().stream().anyMatch(e -> e.commentId().equals(after.commentId())));
            Duration threadsBack = Duration.ofNanos(System.nanoTime() - killed);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> firstSent(deadBatch) != null);
            Duration batchBack = Duration.between(killedAt, firstSent(deadBatch));

            ensemble.awaitSettled(List.of(thread));
            Figures figures = Figures.count("12 failover", String.format(
                    "SIGKILL of 1 of 2 instances: its threads mailed again after %.1f s (session timeout %d s), its claimed batch"
                            + " of %d after %.1f s (lease %d s)", threadsBack.toMillis() / 1000.0, SESSION_TIMEOUT.toSeconds(),
                    deadBatch.size(), batchBack.toMillis() / 1000.0, CLAIM_LEASE.toSeconds()), List.of(thread), ensemble.mailbox);
            assertThat(figures.lost()).isZero();
            assertThat(figures.unexpected()).isZero();
            assertThat(figures.duplicated()).as("at most the message in flight per sender thread of the killed instance")
                    .isLessThanOrEqualTo(SENDERS);
            // Bounded by the shipped settings, not by chance: the session timeout plus a rebalance, the lease plus a poll.
            assertThat(threadsBack).isLessThan(SESSION_TIMEOUT.plusSeconds(15));
            assertThat(batchBack).isLessThan(CLAIM_LEASE.plusSeconds(5));
        } finally {
            if (doomed != null) {
                doomed.close();
            }
        }
    }

    private static Set<Long> sameClaims(Map<Long, UUID> before, Map<Long, UUID> now) {
        return before.entrySet().stream().filter(e -> e.getValue().equals(now.get(e.getKey()))).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private Map<Long, UUID> claimed(ThreadLog thread) {
        Map<Long, UUID> rows = new java.util.HashMap<>();
        ensemble.notificationsDb().sql("""
                select id, claim_token from delivery where post_id = :post and status = 'PENDING' and claim_token is not null
                   and next_attempt_at > now()""")
                .param("post", thread.postId())
                .query((rs, n) -> rows.put(rs.getLong("id"), rs.getObject("claim_token", UUID.class)))
                .list();
        return rows;
    }

    private OffsetDateTime firstSent(Collection<Long> ids) {
        return ensemble.notificationsDb().sql("select min(sent_at) from delivery where id in (:ids)")
                .param("ids", ids).query((rs, n) -> rs.getObject(1, OffsetDateTime.class)).list().get(0);
    }

    private OffsetDateTime now() {
        return ensemble.notificationsDb().sql("select now()").query(OffsetDateTime.class).single();
    }

    /** Kafka's default partitioner for a keyed record, as comment-service's relay sends them. */
    private static int partitionOf(UUID postId) {
        return Utils.toPositive(Utils.murmur2(postId.toString().getBytes(StandardCharsets.UTF_8))) % Topics.PARTITIONS;
    }

    private static Set<TopicPartition> commentPartitions(ConfigurableApplicationContext instance) {
        MessageListenerContainer container = instance.getBean(KafkaListenerEndpointRegistry.class)
                .getListenerContainer("notifications-comments");
        Collection<TopicPartition> assigned = container == null ? null : container.getAssignedPartitions();
        return assigned == null ? Set.of() : new HashSet<>(assigned);
    }

    private static Blog.Person person(String name) {
        return new Blog.Person(name, name + "@failover.faults.example.org");
    }
}
