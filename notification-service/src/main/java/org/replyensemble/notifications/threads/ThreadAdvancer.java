package org.replyensemble.notifications.threads;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * The thread stage's second half: advances the threads whose comments a consumer thread has just
 * stored ({@link Threads#record}), then acknowledges that poll, while the consumer thread goes on
 * storing the next one. A hot thread's comment writes a row for each of 10,000 participants; done
 * on the consumer thread, every comment polled behind it (a direct reply among them) waited for
 * that. Now a reply is stored, and its delivery committed, while the fan-out in front of it runs.
 * Small threads do not come here: the consumer thread fans them out as it stores them
 * ({@link Threads#recordAndAdvanceIfSmall}); a poll of only those still passes through its lane
 * when the lane is busy, so that its acknowledgment comes after those of the polls in front of it.
 *
 * <p>Each consumer thread has its own lane: one thread that advances its polls in the order they
 * came and acknowledges each when its threads are advanced, so the offsets committed (Spring
 * Kafka's manual acknowledgment, committed on the consumer thread) never pass a comment that is
 * stored but not fanned out, and the consumer group's lag still counts what the thread stage has
 * not finished. A lane holds at most {@code notifications.threads.advance-queue} polls; a consumer
 * thread that gets that far ahead waits for room, up to 10 s, then fails the poll, which the error
 * handler delivers again after its pause. A process that dies with polls in its lanes has them
 * delivered again; their events were seen before and store nothing, and the lane advances the
 * threads from what is stored.
 *
 * <p>Offsets can still pass an unadvanced comment in one case: Spring Kafka's error handler commits
 * the records of a poll before the one that failed, whether or not their lane has reached them.
 * Should the process die then, the sweep here finds the thread: every
 * {@code notifications.threads.advance-check-interval} (and soon after start), threads whose next
 * comment, or a late comment at a skipped position, has been stored and is older than
 * {@code notifications.threads.advance-check-after} are advanced (a thread a lane is about to reach
 * is advanced by whichever comes first; the other finds nothing to do).
 */
@Component
class ThreadAdvancer implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ThreadAdvancer.class);
    private static final int THREADS_PER_SWEEP = 100;
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);
    private static final Duration ROOM_WAIT = Duration.ofSeconds(10);

    private final Threads threads;
    private final JdbcClient jdbc;
    private final int queue;
    private final Duration checkAfter;
    private final Map<Thread, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Counter swept;
    private final CustomizableThreadFactory laneThreads = new CustomizableThreadFactory("thread-advancer-");
    private volatile boolean stopping;

    ThreadAdvancer(Threads threads, JdbcClient jdbc, MeterRegistry meters,
            @Value("${notifications.threads.advance-queue:1000}") int queue,
            @Value("${notifications.threads.advance-check-after:30s}") Duration checkAfter) {
        this.threads = threads;
        this.jdbc = jdbc;
        this.queue = queue;
        this.checkAfter = checkAfter;
        this.swept = Counter.builder("threads.advanced_by_sweep")
                .description("Threads found stored but not fanned out by the sweep (their lane had not reached them, "
                        + "or the process died before it did)")
                .register(meters);
        Gauge.builder("threads.advancing.polls", waiting, AtomicInteger::get)
                .description("Polls of comment events stored and waiting for their threads to be fanned out")
                .register(meters);
        laneThreads.setDaemon(true);
    }

    /**
     * Advances these threads on the calling consumer thread's lane, after the polls handed to it
     * before, then acknowledges the poll ({@code poll} null: nothing to acknowledge, the error handler
     * commits or redelivers it). Waits while the lane is full, for a while: then throws. A poll with no
     * thread left to advance (all fanned out as they were stored) is acknowledged at once when its
     * lane is idle, and otherwise after the polls in front of it, so commits never pass them.
     */
    void advanceThenAcknowledge(Collection<UUID> posts, @Nullable Acknowledgment poll) {
        Lane lane = lanes.get(Thread.currentThread());
        if (lane == null) {
            lanes.keySet().removeIf(consumer -> !consumer.isAlive()); // a stopped container's lanes finish on their own
            lane = new Lane();
            lanes.put(Thread.currentThread(), lane);
        }
        if (posts.isEmpty() && lane.room.availablePermits() == queue) {
            // Every poll handed to the lane before is advanced and acknowledged: this one's turn is now.
            if (poll != null) {
                poll.acknowledge();
            }
            return;
        }
        List<UUID> copy = List.copyOf(posts);
        try {
            if (!lane.room.tryAcquire(ROOM_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                // The poll is failed and delivered again after the error handler's pause (its events are
                // seen then and store nothing): the consumer thread stays responsive to a stop.
                throw new IllegalStateException("the thread stage's fan-out lane has " + queue + " polls waiting, "
                        + "none done within " + ROOM_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for room in the fan-out lane", e);
        }
        Lane taken = lane;
        waiting.incrementAndGet();
        try {
            taken.executor.execute(() -> {
                try {
                    for (UUID postId : copy) {
                        if (!advanceUntilDone(postId)) {
                            return; // stopping: not acknowledged, delivered again after the restart
                        }
                    }
                    if (poll != null) {
                        poll.acknowledge();
                    }
                } finally {
                    waiting.decrementAndGet();
                    taken.room.release();
                }
            });
        } catch (RuntimeException e) {
            waiting.decrementAndGet();
            taken.room.release();
            throw e;
        }
    }

    /** Retried like a listener's failure (the database away): a thread's comments are stored, they are not dropped. */
    private boolean advanceUntilDone(UUID postId) {
        Duration pause = FIRST_RETRY;
        while (!stopping) {
            try {
                threads.advance(postId);
                return true;
            } catch (RuntimeException e) {
                log.warn("Fanning out the comments of post {} failed, trying again in {}: {}", postId, pause, e.toString());
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                pause = pause.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : pause.multipliedBy(2);
            }
        }
        return false;
    }

    @Scheduled(fixedDelayString = "${notifications.threads.advance-check-interval:30s}", initialDelayString = "10s")
    void advanceForgotten() {
        try {
            int found = advanceStoredOlderThan(checkAfter);
            if (found > 0) {
                log.info("Advanced {} thread(s) with comments stored but not fanned out for over {}", found, checkAfter);
            }
        } catch (RuntimeException e) {
            log.warn("Looking for threads with comments stored but not fanned out failed, will try again: {}", e.toString());
        }
    }

    /** The sweep: advances threads whose next comment (or a late one) was stored and is older than {@code age}. */
    int advanceStoredOlderThan(Duration age) {
        List<UUID> found = jdbc.sql("""
                select t.post_id from thread t
                 where exists (select 1 from thread_comment c
                                where c.post_id = t.post_id and c.position = t.fanned_out_position + 1
                                  and c.created_at < now() - make_interval(secs => :seconds))
                    or exists (select 1 from thread_gap g
                                 join thread_comment c on c.post_id = g.post_id and c.position = g.position
                                where g.post_id = t.post_id and g.filled_at is null
                                  and c.created_at < now() - make_interval(secs => :seconds))
                 limit :limit
                """)
                .param("seconds", (double) age.toMillis() / 1000)
                .param("limit", THREADS_PER_SWEEP)
                .query(UUID.class)
                .list();
        found.forEach(threads::advance);
        swept.increment(found.size());
        return found.size();
    }

    /** Runs after the listener containers stopped (they are stopped before singletons are destroyed). */
    @Override
    public void destroy() throws InterruptedException {
        stopping = true;
        for (Lane lane : lanes.values()) {
            lane.executor.shutdownNow();
        }
        for (Lane lane : lanes.values()) {
            lane.executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** One thread, in order; it ends after a minute without work and comes back with the next poll. */
    private final class Lane {

        final Semaphore room = new Semaphore(queue);
        final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES,
                new LinkedBlockingQueue<>(), laneThreads);

        Lane() {
            executor.allowCoreThreadTimeOut(true);
        }
    }
}
