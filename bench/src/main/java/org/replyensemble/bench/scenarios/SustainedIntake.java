package org.replyensemble.bench.scenarios;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

import org.replyensemble.bench.ensemble.ConsumerLag;
import org.replyensemble.bench.load.HttpLoad;
import org.replyensemble.bench.report.Results.SustainedRun;

/**
 * Whether the thread stage keeps up with the intake for longer than a burst: comments at a fixed
 * rate (open loop; the best rate the closed-loop intake reached) for a minute, on the intake's
 * posts (each comment by its post's author: the whole path, no email), while notification-service's
 * consumer lag is sampled every second. A lag that grows through the second half means a backlog that
 * only drains after the load stops; the report gives its growth per second and the drain time.
 */
public final class SustainedIntake {

    private final HttpLoad load;
    private final LongFunction<HttpRequest> requests;
    private final ConsumerLag lag;
    private final String group;

    public SustainedIntake(HttpLoad load, LongFunction<HttpRequest> requests, ConsumerLag lag, String group) {
        this.load = load;
        this.requests = requests;
        this.lag = lag;
        this.group = group;
    }

    public SustainedRun run(double rate, Duration duration) throws InterruptedException {
        List<long[]> samples = new ArrayList<>(); // {millis since start, lag}
        long start = System.nanoTime();
        Thread sampler = lag.sampleEverySecond(group, samples, start, "lag-sampler");
        HttpLoad.Result result = load.fixedRate(rate, duration, requests, 201, (i, r, n) -> { });
        sampler.interrupt();
        sampler.join();
        long atEnd = lag.of(group);
        double drain = lag.awaitCaughtUp(group, Duration.ofMinutes(10));
        List<long[]> secondHalf;
        long lagMax;
        synchronized (samples) {
            lagMax = samples.stream().mapToLong(s -> s[1]).max().orElse(0);
            secondHalf = samples.subList(samples.size() / 2, samples.size());
        }
        return new SustainedRun(rate, result.seconds(), result.ok(), result.failed(), result.okPerSecond(),
                result.latency().p99(), lagMax, atEnd, slopePerSecond(secondHalf), drain);
    }

    /** Least-squares slope of lag over time, in events per second. */
    private static double slopePerSecond(List<long[]> samples) {
        int n = samples.size();
        if (n < 2) {
            return Double.NaN;
        }
        double meanT = samples.stream().mapToDouble(s -> s[0] / 1000.0).average().orElse(0);
        double meanL = samples.stream().mapToDouble(s -> s[1]).average().orElse(0);
        double num = 0;
        double den = 0;
        for (long[] s : samples) {
            double dt = s[0] / 1000.0 - meanT;
            num += dt * (s[1] - meanL);
            den += dt * dt;
        }
        return den == 0 ? Double.NaN : num / den;
    }
}
