package org.replyensemble.bench.ensemble;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group is behind (records not yet committed, over all its partitions). A
 * scenario that outruns notification-service's consumer leaves a backlog in Kafka, and the next
 * scenario must not start behind it (its comment would wait for the whole backlog).
 */
public final class ConsumerLag implements AutoCloseable {

    private final Admin admin;

    public ConsumerLag(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    public long of(String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(committed.keySet().stream()
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get(10, TimeUnit.SECONDS);
            return committed.entrySet().stream()
                    .mapToLong(e -> ends.get(e.getKey()).offset() - (e.getValue() == null ? 0 : e.getValue().offset()))
                    .sum();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot read the lag of " + group, e);
        }
    }

    /** Waits until the group has caught up; returns the seconds it took, or NaN after the timeout. */
    public double awaitCaughtUp(String group, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (of(group) > 0) {
            if (System.nanoTime() > deadline) {
                return Double.NaN;
            }
            EnsembleApi.pause(200);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Samples the group's lag once a second into {@code samples} as {millis since {@code start}, lag}
     * (guarded by the list itself) on a daemon thread of that name, until the thread is interrupted.
     */
    public Thread sampleEverySecond(String group, List<long[]> samples, long start, String name) {
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long lagNow;
                try {
                    lagNow = of(group);
                } catch (IllegalStateException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        return; // stopped while it asked the broker
                    }
                    throw e;
                }
                synchronized (samples) {
                    samples.add(new long[] {(System.nanoTime() - start) / 1_000_000, lagNow});
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        sampler.setDaemon(true);
        sampler.start();
        return sampler;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
