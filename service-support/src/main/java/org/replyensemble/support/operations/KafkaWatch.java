package org.replyensemble.support.operations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Asks the brokers, on its own thread every {@code check-interval}, whether the cluster answers
 * (AdminClient describeCluster with a short timeout) and how far this service's consumer group is
 * behind (committed offsets against end offsets, per partition). Health probes and metric scrapes
 * read the last answer and never wait on a broker.
 * <p>
 * Hand-written because Boot has no Kafka health indicator, and the per-consumer
 * {@code kafka.consumer.fetch.manager.records.lag} metrics Boot registers for Spring Kafka's
 * consumers only exist while a consumer of this instance owns the partition and polls: a group
 * whose every consumer died, or one stuck in a rebalance, shows no lag at all there. The group's
 * committed offsets show it either way.
 */
public final class KafkaWatch implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KafkaWatch.class);

    /** What the last check found; {@code reachable} null before the first check finished. */
    public record Snapshot(Boolean reachable, Instant checkedAt, String clusterId, int brokers, String error,
                           Map<TopicPartition, Long> lag) {
        static final Snapshot NONE = new Snapshot(null, null, null, 0, null, Map.of());
    }

    private final Map<String, Object> adminSettings;
    private final String group;
    private final Supplier<Set<String>> listenedTopics;
    private final KafkaWatchProperties properties;
    private final MultiGauge lagGauge;
    private final Clock clock;
    private volatile Snapshot last = Snapshot.NONE;
    private volatile boolean running;
    private ScheduledExecutorService executor;
    private Admin admin;

    /**
     * @param adminSettings the service's Kafka admin settings (bootstrap servers, security)
     * @param group         the service's consumer group, or null when it consumes nothing
     * @param listenedTopics the topics the group's listeners subscribe to
     */
    public KafkaWatch(Map<String, Object> adminSettings, String group, Supplier<Set<String>> listenedTopics,
                      KafkaWatchProperties properties,
                      MeterRegistry meters, Clock clock) {
        Map<String, Object> settings = new HashMap<>(adminSettings);
        int timeoutMs = (int) properties.timeout().toMillis();
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        settings.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-watch" + (group == null ? "" : "-" + group));
        this.adminSettings = Map.copyOf(settings);
        this.group = group;
        this.listenedTopics = listenedTopics;
        this.properties = properties;
        this.clock = clock;
        this.lagGauge = MultiGauge.builder("kafka.consumer.group.lag")
                .description("Records on a partition not yet committed by this service's consumer group (every instance reports the group's figure)")
                .baseUnit("records")
                .register(meters);
    }

    public Snapshot last() {
        return last;
    }

    public String group() {
        return group;
    }

    public Duration staleAfter() {
        // A check that has not come back within two rounds is itself a finding.
        return properties.checkInterval().multipliedBy(2).plus(properties.timeout().multipliedBy(2));
    }

    /** One round: the cluster, then the group's lag. Runs on the watch's thread; public for tests. */
    public void check() {
        Instant now = clock.instant();
        try {
            long timeoutMs = properties.timeout().toMillis();
            var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs));
            List<Node> nodes = new ArrayList<>(cluster.nodes().get(timeoutMs, TimeUnit.MILLISECONDS));
            String clusterId = cluster.clusterId().get(timeoutMs, TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> lag = group == null ? Map.of() : lag(timeoutMs);
            last = new Snapshot(!nodes.isEmpty(), now, clusterId, nodes.size(), nodes.isEmpty() ? "no broker in the cluster" : null, lag);
            publish(lag);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String error = e.getCause() != null ? e.getCause().toString() : e.toString();
            if (!Boolean.FALSE.equals(last.reachable())) {
                log.warn("Kafka does not answer: {}", error);
            }
            // The lag gauges keep their last figures: a broker outage does not mean the group caught up.
            last = new Snapshot(false, now, null, 0, error, last.lag());
        }
    }

    /**
     * Every partition of the topics this group reads (its listeners' topics and any it committed
     * on): end offset minus the committed one, or minus the log start where the group never
     * committed (it starts from the earliest record), so a partition nobody ever consumed shows too.
     */
    private Map<TopicPartition, Long> lag(long timeoutMs) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group,
                        new ListConsumerGroupOffsetsOptions().timeoutMs((int) timeoutMs))
                .partitionsToOffsetAndMetadata().get(timeoutMs, TimeUnit.MILLISECONDS);
        Set<String> topics = new TreeSet<>(listenedTopics.get());
        committed.keySet().forEach(partition -> topics.add(partition.topic()));
        if (topics.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs((int) timeoutMs)).allTopicNames()
                .get(timeoutMs, TimeUnit.MILLISECONDS).values().forEach(topic -> topic.partitions().forEach(info -> {
                    TopicPartition partition = new TopicPartition(topic.name(), info.partition());
                    latest.put(partition, OffsetSpec.latest());
                    if (committed.get(partition) == null) {
                        earliest.put(partition, OffsetSpec.earliest());
                    }
                }));
        ListOffsetsOptions options = new ListOffsetsOptions().timeoutMs((int) timeoutMs);
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest, options).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        Map<TopicPartition, ListOffsetsResultInfo> starts = earliest.isEmpty() ? Map.of()
                : admin.listOffsets(earliest, options).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> lag = new HashMap<>();
        ends.forEach((partition, end) -> {
            OffsetAndMetadata at = committed.get(partition);
            long from = at != null ? at.offset() : starts.get(partition).offset();
            lag.put(partition, Math.max(0, end.offset() - from));
        });
        return Map.copyOf(lag);
    }

    private void publish(Map<TopicPartition, Long> lag) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        lag.forEach((partition, records) -> rows.add(MultiGauge.Row.of(Tags.of(
                "group", group, "topic", partition.topic(), "partition", String.valueOf(partition.partition())), records)));
        lagGauge.register(rows, true);
    }

    @Override
    public void start() {
        admin = Admin.create(adminSettings);
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "kafka-watch");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::checkQuietly, 0, properties.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
        running = true;
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            log.warn("Kafka check failed", e);
        }
    }

    @Override
    public void stop() {
        running = false;
        if (executor != null) {
            executor.shutdownNow();
        }
        if (admin != null) {
            admin.close(Duration.ZERO); // nothing pending is worth waiting for on the way out
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
