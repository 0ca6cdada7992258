package org.replyensemble.local.ops;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Each consumer group's lag from the broker's side (committed offsets against end offsets), with
 * its state and members: what {@code kafka-consumer-groups --describe} prints, readable when the
 * service itself is down and its metrics with it.
 */
final class GroupLag implements AutoCloseable {

    private final Admin admin;
    private final String bootstrapServers;

    GroupLag(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    void print(String onlyGroup, PrintStream out) {
        try {
            TreeSet<String> groups = new TreeSet<>();
            if (onlyGroup != null) {
                groups.add(onlyGroup);
            } else {
                admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS).forEach(g -> groups.add(g.groupId()));
            }
            if (groups.isEmpty()) {
                out.println("no consumer group at " + bootstrapServers);
                return;
            }
            Map<String, ConsumerGroupDescription> descriptions = admin.describeConsumerGroups(groups).all().get(10, TimeUnit.SECONDS);
            out.printf("%-22s %-34s %9s %10s %10s %8s%n", "GROUP", "TOPIC", "PARTITION", "COMMITTED", "END", "LAG");
            for (String group : groups) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
                        .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResultInfo> ends = latest.isEmpty() ? Map.of()
                        : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                long total = 0;
                List<TopicPartition> partitions = committed.keySet().stream()
                        .sorted(Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition)).toList();
                for (TopicPartition partition : partitions) {
                    OffsetAndMetadata offset = committed.get(partition);
                    long end = ends.get(partition).offset();
                    long at = offset == null ? 0 : offset.offset();
                    long lag = Math.max(0, end - at);
                    total += lag;
                    out.printf("%-22s %-34s %9d %10d %10d %8d%n", group, partition.topic(), partition.partition(), at, end, lag);
                }
                ConsumerGroupDescription description = descriptions.get(group);
                out.printf("%s: total lag %d, state %s, %d member(s)%n", group, total,
                        description == null ? "?" : description.groupState(), description == null ? 0 : description.members().size());
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot read the consumer groups at " + bootstrapServers + ": "
                    + (e.getCause() != null ? e.getCause() : e), e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
