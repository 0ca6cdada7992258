package org.replyensemble.bench.ensemble;

/**
 * Samples notification-service's used heap (/actuator/metrics/jvm.memory.used, area:heap) every
 * 100 ms on its own thread, keeping the peak: a fan-out that held every recipient or message in
 * memory would show as heap growing with the thread's size.
 */
public final class HeapSampler implements AutoCloseable {

    private final EnsembleApi api;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile double peakBytes;
    private volatile int samples;

    public HeapSampler(EnsembleApi api) {
        this.api = api;
        this.thread = new Thread(this::sample, "heap-sampler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void sample() {
        while (running) {
            try {
                double used = api.notificationMetric("jvm.memory.used", "area:heap");
                if (!Double.isNaN(used)) {
                    peakBytes = Math.max(peakBytes, used);
                    samples++;
                }
                Thread.sleep(100);
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
