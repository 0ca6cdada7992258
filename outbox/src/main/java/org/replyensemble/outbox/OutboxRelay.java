package org.replyensemble.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes outbox rows to Kafka in id order, which for one key is commit order (writers of
 * one post serialize on the post's row lock, so their rows get ids in commit order).
 *
 * <p>Why hand-written rather than namastack-outbox (measured in STACK.md): this relay is woken
 * right after each commit instead of polling every few hundred milliseconds, sends a whole
 * batch asynchronously and waits for the acks once, marks the batch in one UPDATE, and never
 * parks a record as FAILED (a FAILED namastack record blocks its key for good). Across
 * instances, a PostgreSQL advisory lock lets one relay run at a time, which keeps the per-key
 * order without any claim bookkeeping.
 *
 * <p>Delivery is at least once: a crash after Kafka acked but before the UPDATE committed
 * publishes those rows again. Consumers deduplicate on the event id.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /**
     * The advisory lock whose holder is the one relay of a service's database. Any constant works:
     * each service has its own database. Public so that a test can hold it to keep events unpublished.
     */
    public static final long RELAY_LOCK = 0x6f7574626f78L;
    private static final JsonMapper HEADERS_JSON = JsonMapper.builder().build();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final KafkaTemplate<String, String> kafka;
    private final OutboxProperties properties;
    private final Semaphore wakeUps = new Semaphore(0);
    private final Counter published;
    private final Counter failures;

    private volatile boolean running;
    private Thread worker;
    private Instant nextCleanup = Instant.now();

    public OutboxRelay(JdbcClient jdbc, TransactionTemplate transaction,
            KafkaTemplate<String, String> kafka, OutboxProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.kafka = kafka;
        this.properties = properties;
        this.published = Counter.builder("outbox.published").description("Events relayed to Kafka").register(meters);
        this.failures = Counter.builder("outbox.relay.failures").description("Relay rounds that failed and will be retried").register(meters);
        Gauge.builder("outbox.backlog", this, OutboxRelay::backlog)
                .description("Events committed but not yet acknowledged by Kafka").register(meters);
    }

    /** Called after a commit that appended events: publish them now rather than at the next poll. */
    public void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    /** Relays everything pending now, on the caller's thread. Returns how many rows were published. */
    public int relayPending() {
        int total = 0;
        int sent;
        do {
            sent = relayBatch();
            total += sent;
        } while (sent == properties.batchSize());
        return total;
    }

    private void loop() {
        Duration backoff = properties.pollInterval();
        while (running) {
            try {
                relayPending();
                cleanUpIfDue();
                backoff = properties.pollInterval();
            } catch (RuntimeException e) {
                failures.increment();
                log.warn("Outbox relay round failed, retrying in {}: {}", backoff, e.toString());
                backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
            }
            awaitWakeUp(backoff);
        }
    }

    private int relayBatch() {
        Integer count = transaction.execute(status -> {
            boolean mine = jdbc.sql("select pg_try_advisory_xact_lock(?)").param(RELAY_LOCK).query(Boolean.class).single();
            if (!mine) {
                return 0; // another instance is relaying; its order is the order
            }
            List<PendingMessage> batch = jdbc.sql("""
                    select id, topic, message_key, payload, headers::text as headers
                    from outbox_message where published_at is null order by id limit ?""")
                    .param(properties.batchSize())
                    .query((rs, n) -> new PendingMessage(rs.getLong("id"), rs.getString("topic"),
                            rs.getString("message_key"), rs.getString("payload"), rs.getString("headers")))
                    .list();
            if (batch.isEmpty()) {
                return 0;
            }
            awaitAcks(batch.stream().map(this::send).toList());
            markPublished(batch);
            return batch.size();
        });
        int sent = count == null ? 0 : count;
        published.increment(sent);
        return sent;
    }

    private CompletableFuture<SendResult<String, String>> send(PendingMessage message) {
        ProducerRecord<String, String> record = new ProducerRecord<>(message.topic(), message.key(), message.payload());
        Map<String, String> headers = HEADERS_JSON.readValue(message.headers(), new TypeReference<Map<String, String>>() { });
        headers.forEach((name, value) -> record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8))));
        return kafka.send(record);
    }

    /** A failed or timed-out send fails the round: nothing of the batch is marked, all of it is retried. */
    private void awaitAcks(List<CompletableFuture<SendResult<String, String>>> sends) {
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .get(properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge the batch", e);
        }
    }

    /**
     * Marks the batch in one UPDATE. Its IN list is padded to the next power of two with the last id
     * repeated, so batches of 1 to 512 rows share ten statement texts, each run on its generic plan
     * once PostgreSQL has planned it a few times on a connection. The earlier {@code id = any(?)} was
     * planned again at every call (the plan for the call's own array always looks cheaper than the
     * generic plan's guess), about 0.15 ms per batch (docs/benchmark.md, 2026-12-05). Written here
     * rather than taken from service-support's {@code InLists}: this module depends on no other module
     * of the project but event-contracts.
     */
    private void markPublished(List<PendingMessage> batch) {
        List<Long> ids = new ArrayList<>(batch.size());
        batch.forEach(message -> ids.add(message.id()));
        int length = Integer.highestOneBit(ids.size());
        length = length < ids.size() ? length << 1 : length;
        while (ids.size() < length) {
            ids.add(ids.get(ids.size() - 1));
        }
        jdbc.sql("update outbox_message set published_at = now() where id in (:ids)").param("ids", ids).update();
    }

    private void cleanUpIfDue() {
        if (Instant.now().isBefore(nextCleanup)) {
            return;
        }
        nextCleanup = Instant.now().plus(properties.cleanupInterval());
        int deleted = cleanUp();
        if (deleted > 0) {
            log.info("Outbox clean-up deleted {} published events older than {}", deleted, properties.retention());
        }
    }

    /**
     * Deletes the published rows older than the retention, {@code cleanupBatchSize} at a time, each
     * batch its own short statement: the relay's inserts and marks never wait behind one long
     * delete, and rows another instance is deleting are skipped (SKIP LOCKED), so two instances
     * cleaning at once do not queue on each other. Unpublished rows are never touched. Returns how
     * many rows were deleted.
     */
    public int cleanUp() {
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.sql("""
                    delete from outbox_message where id in (
                        select id from outbox_message where published_at < now() - make_interval(secs => ?)
                         order by published_at limit ? for update skip locked)""")
                    .params(properties.retention().toSeconds(), properties.cleanupBatchSize())
                    .update();
            total += deleted;
        } while (deleted == properties.cleanupBatchSize());
        return total;
    }

    private double backlog() {
        try {
            Long pending = jdbc.sql("select count(*) from outbox_message where published_at is null").query(Long.class).single();
            return pending;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private void awaitWakeUp(Duration timeout) {
        try {
            if (wakeUps.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                wakeUps.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void start() {
        running = true;
        worker = new Thread(this::loop, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void stop() {
        running = false;
        wakeUp();
        if (worker != null) {
            try {
                worker.join(properties.sendTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return properties.relayEnabled();
    }

    /** Start after the Kafka producer is usable, stop before it closes. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    private record PendingMessage(long id, String topic, String key, String payload, String headers) {
    }
}
