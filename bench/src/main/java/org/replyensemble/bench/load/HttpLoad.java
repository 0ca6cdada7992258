package org.replyensemble.bench.load;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/**
 * The load generator, the same for the ensemble and for the raw empty endpoint, so their figures
 * compare: an open loop at a fixed rate (requests go out on schedule whatever the answers do, and
 * latency counts from the scheduled time, so a stall shows in full instead of slowing the
 * generator down: no coordinated omission) and a closed loop of N clients (the maximum rate).
 * HTTP/1.1 with kept-alive connections, like a browser or a load balancer in front of a service.
 */
public final class HttpLoad {

    /** What to do with each answer: {@code nanos} is when it arrived. */
    public interface Answer {
        void accept(long index, HttpResponse<String> response, long nanos);
    }

    public record Result(long sent, long ok, long failed, double seconds, Latencies.Summary latency) {

        public double okPerSecond() {
            return seconds <= 0 ? 0 : ok / seconds;
        }
    }

    private static final int MAX_IN_FLIGHT = 512;

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(4, daemon("http-load")))
            .build();

    public HttpClient client() {
        return client;
    }

    /**
     * Sends {@code rate} requests a second for {@code duration}; returns when every answer is in.
     *
     * @param request builds request number i
     * @param okStatus the status that counts as success (201 for a comment)
     */
    public Result fixedRate(double rate, Duration duration, LongFunction<HttpRequest> request, int okStatus, Answer answer) {
        long total = Math.max(1, Math.round(rate * duration.toNanos() / 1e9));
        long intervalNanos = Math.round(1e9 / rate);
        Latencies latencies = new Latencies();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long intended = start + i * intervalNanos;
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            inFlight.acquireUninterruptibly();
            long index = i;
            pending.add(client.sendAsync(request.apply(i), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> {
                        long now = System.nanoTime();
                        inFlight.release();
                        latencies.recordNanos(now - intended);
                        if (error == null && response.statusCode() == okStatus) {
                            ok.incrementAndGet();
                            answer.accept(index, response, now);
                        } else {
                            failed.incrementAndGet();
                        }
                    }));
            if (pending.size() >= 4096) {
                pending.removeIf(CompletableFuture::isDone);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        awaitAll(pending);
        return new Result(total, ok.get(), failed.get(), seconds, latencies.summary());
    }

    /** {@code clients} threads each sending its next request as soon as the previous one answered. */
    public Result closedLoop(int clients, Duration duration, LongFunction<HttpRequest> request, int okStatus, Answer answer) {
        Latencies latencies = new Latencies();
        AtomicLong next = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long index = next.getAndIncrement();
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> response = client.send(request.apply(index), HttpResponse.BodyHandlers.ofString());
                        long now = System.nanoTime();
                        latencies.recordNanos(now - sent);
                        if (response.statusCode() == okStatus) {
                            ok.incrementAndGet();
                            answer.accept(index, response, now);
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        latencies.recordNanos(System.nanoTime() - sent);
                        failed.incrementAndGet();
                    }
                }
            }, "closed-loop-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(next.get(), ok.get(), failed.get(), seconds, latencies.summary());
    }

    private static void awaitAll(List<CompletableFuture<?>> pending) {
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            // failures are counted per request; a timeout leaves the rest counted as not ok
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
