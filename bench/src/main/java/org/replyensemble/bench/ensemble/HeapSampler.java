package org.replyensemble.bench.ensemble;

/**
 * Samples notification-service's used heap (/actuator/metrics/jvm.memory.used, area:heap) on its own
 * thread, keeping the peak: a fan-out that held every recipient or message in memory would show as
 * heap growing with the thread's size.
 *
 * <p>Every 100 ms for the first 5 s (a small fan-out is over by then), every 500 ms after; or every
 * 500 ms from the start, for a load that lasts a minute (the hot thread), whose first seconds the
 * dense samples would weigh on.
 * Each sample is an HTTP request through the service's security chain and the metrics endpoint: at
 * 10 a second for the whole of a 100,000-recipient fan-out, the web threads answering them had 10.6%
 * of notification-service's CPU samples in a JFR profile (docs/benchmark.md): CPU the senders lacked
 * on 2 cores. A Prometheus scrape in production asks every 15 s or so.
 */
public final class HeapSampler implements AutoCloseable {

    private static final long DENSE_NANOS = 5_000_000_000L;

    private final EnsembleApi api;
    private final long denseNanos;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile double peakBytes;
    private volatile int samples;

    /** Every 100 ms for the first 5 s, every 500 ms after. */
    public HeapSampler(EnsembleApi api) {
        this(api, true);
    }

    /** @param denseStart whether the first 5 s are sampled every 100 ms (else every 500 ms throughout) */
    public HeapSampler(EnsembleApi api, boolean denseStart) {
        this.api = api;
        this.denseNanos = denseStart ? DENSE_NANOS : 0;
        this.thread = new Thread(this::sample, "heap-sampler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void sample() {
        long start = System.nanoTime();
        while (running) {
            try {
                double used = api.notificationMetric("jvm.memory.used", "area:heap");
                if (!Double.isNaN(used)) {
                    peakBytes = Math.max(peakBytes, used);
                    samples++;
                }
                Thread.sleep(System.nanoTime() - start < denseNanos ? 100 : 500);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a missed sample; the next one counts
            }
        }
    }

    public double peakMegabytes() {
        return peakBytes / (1024 * 1024);
    }

    public int samples() {
        return samples;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
