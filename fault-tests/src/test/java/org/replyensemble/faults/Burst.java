package org.replyensemble.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Comments posted in the background by a few concurrent clients, so a test can break something
 * while they are still coming in. Comment k of a thread is written by that thread's author k
 * (every author distinct unless {@code authorsPerThread} is smaller than the comment count).
 */
final class Burst implements AutoCloseable {

    private final ExecutorService clients;
    private final List<Future<?>> work = new ArrayList<>();
    private final AtomicInteger posted = new AtomicInteger();
    private final int total;
    private volatile long pauseNanos;

    Burst(Blog blog, List<ThreadLog> threads, int commentsPerThread, int authorsPerThread, String domain, int clientCount) {
        this.clients = Executors.newFixedThreadPool(clientCount);
        this.total = threads.size() * commentsPerThread;
        for (int client = 0; client < clientCount; client++) {
            int first = client;
            work.add(clients.submit(() -> {
                // Round-robin over the threads, so every thread grows during the whole burst.
                for (int n = first; n < total; n += clientCount) {
                    int t = n % threads.size();
                    int k = n / threads.size();
                    String name = "t" + t + "a" + (k % authorsPerThread);
                    blog.comment(threads.get(t), new Blog.Person(name, name + "@" + domain), null);
                    posted.incrementAndGet();
                    long pause = pauseNanos;
                    if (pause > 0) {
                        // Pacing the load (so it outlasts a slow step of the test), not waiting for a condition.
                        TimeUnit.NANOSECONDS.sleep(pause);
                    }
                }
                return null;
            }));
        }
        clients.shutdown();
    }

    /** Each client pauses this long after each comment from now on (zero: as fast as it can). */
    Burst pace(Duration pause) {
        pauseNanos = pause.toNanos();
        return this;
    }

    int posted() {
        return posted.get();
    }

    int total() {
        return total;
    }

    /** Waits for every comment to be posted; fails with the first client's error. */
    void awaitPosted() throws Exception {
        for (Future<?> future : work) {
            future.get(10, TimeUnit.MINUTES);
        }
    }

    @Override
    public void close() {
        clients.shutdownNow();
    }
}
