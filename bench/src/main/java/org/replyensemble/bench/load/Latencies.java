package org.replyensemble.bench.load;

import java.util.Collection;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies in microseconds, up to an hour, 3 significant digits; safe to record from many threads
 * (an HdrHistogram Recorder), read once at the end.
 */
public final class Latencies {

    private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

    private final Recorder recorder = new Recorder(MAX_MICROS, 3);
    private final Histogram total = new Histogram(MAX_MICROS, 3);

    public void recordNanos(long nanos) {
        recorder.recordValue(Math.min(Math.max(nanos / 1000, 0), MAX_MICROS));
    }

    /** The summary of latencies already in milliseconds (for instance several rounds' pooled). */
    public static Summary ofMillis(Collection<Double> millis) {
        Latencies latencies = new Latencies();
        millis.forEach(ms -> latencies.recordNanos(Math.round(ms * 1_000_000)));
        return latencies.summary();
    }

    public synchronized Summary summary() {
        total.add(recorder.getIntervalHistogram());
        return Summary.of(total);
    }

    /** Percentiles in milliseconds. */
    public record Summary(long count, double p50, double p95, double p99, double max, double mean) {

        static Summary of(Histogram h) {
            if (h.getTotalCount() == 0) {
                return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            return new Summary(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)),
                    ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), Math.round(h.getMean()) / 1000.0);
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }
    }
}
