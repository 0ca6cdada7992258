package org.replyensemble.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What one run measures. Full by default; {@code --quick} is a smoke run of about a minute of
 * measuring (plus start-up). BENCH_SERVICE_JAVA_OPTS sets the services' JVM options (default
 * {@value #DEFAULT_SERVICE_JAVA_OPTS}: the JIT fully on, unlike the local run's quick-start C1 only).
 */
public record BenchSettings(
        boolean quick,
        int threads,
        int participantsPerThread,
        List<Double> rates,
        Duration rateDuration,
        Duration warmUp,
        Duration warmUpMax,
        double warmUpRate,
        Duration drainTimeout,
        int mailBacklog,
        List<Integer> fanOutSizes,
        List<Integer> intakeClients,
        Duration intakeStepDuration,
        int kafkaEndToEndCount,
        int kafkaProducerRecords,
        int javaMailMessages,
        List<String> serviceJvmOptions,
        List<Integer> threadLengths,
        int threadLengthComments,
        Duration sustainedDuration,
        int hotThreadParticipants,
        Duration hotThreadDuration,
        Duration hotThreadWindow,
        int hotThreadRounds,
        int hotThreadDirectReplyEvery) {

    /** The hot thread's comment rate (issue 9: 20 comments/s on a thread of 10,000 participants). */
    public static final double HOT_THREAD_RATE = 20;
    /** The flood control's updates per window in the hot-thread run: notification-service's default. */
    public static final int HOT_THREAD_UPDATES_PER_WINDOW = 3;

    public static final String DEFAULT_SERVICE_JAVA_OPTS = "-Xmx384m";

    public static BenchSettings from(List<String> args, Map<String, String> env) {
        boolean quick = args.contains("--quick");
        List<String> jvm = Arrays.stream(env.getOrDefault("BENCH_SERVICE_JAVA_OPTS", DEFAULT_SERVICE_JAVA_OPTS).trim().split("\\s+"))
                .filter(s -> !s.isEmpty()).toList();
        List<Integer> fanOut = env.containsKey("BENCH_FAN_OUT")
                ? Arrays.stream(env.get("BENCH_FAN_OUT").split(",")).map(String::trim).map(Integer::valueOf).toList()
                : quick ? List.of(10, 1_000) : List.of(10, 1_000, 10_000, 100_000);
        List<Double> rates = env.containsKey("BENCH_RATES")
                ? Arrays.stream(env.get("BENCH_RATES").split(",")).map(String::trim).map(Double::valueOf).toList()
                : quick ? List.of(10.0, 50.0, 100.0) : List.of(10.0, 50.0, 100.0, 200.0);
        // The default window (10m) would keep the run waiting 10 minutes for its summaries: the hot-thread run
        // uses a shorter one (BENCH_HOT_THREAD_WINDOW, seconds). 120 s at full size: every participant's window
        // opens with the same comment, so each window asks for (3 updates + 1 summary) x 10,000 emails at once;
        // a 30 s window asked 1,333 emails/s over the run, more than a 2-core machine sends (about 1,000/s), and
        // measured that instead of the direct replies' lane.
        Duration hotWindow = Duration.ofSeconds(Long.parseLong(env.getOrDefault("BENCH_HOT_THREAD_WINDOW", quick ? "15" : "120")));
        // Round 1 of the hot thread runs in a fresh ensemble, as every run before 2026-12-07 did; a second round on a
        // new thread in the same ensemble meets warm services, as a viral thread meets services that have run for
        // days. In a fresh ensemble the first seconds of the load measured the JIT compilers, on the quiet thread
        // too (docs/benchmark.md, 2026-12-07 morning).
        int hotRounds = Integer.parseInt(env.getOrDefault("BENCH_HOT_THREAD_ROUNDS", quick ? "1" : "2"));
        if (hotRounds < 1) {
            throw new IllegalArgumentException("BENCH_HOT_THREAD_ROUNDS must be at least 1, not " + hotRounds);
        }
        // One comment in 10 a direct reply (120 a round at full size), as in every run so far. More (1 in 4) gave a
        // p99 on more replies, and a lower one: the same few slow seconds of a round weigh less among more replies
        // (docs/benchmark.md, 2026-12-07 late night), so the default stays the share the figures were taken with.
        int hotDirectEvery = Integer.parseInt(env.getOrDefault("BENCH_HOT_THREAD_DIRECT_REPLY_EVERY", "10"));
        if (hotDirectEvery < 1) {
            throw new IllegalArgumentException("BENCH_HOT_THREAD_DIRECT_REPLY_EVERY must be at least 1, not " + hotDirectEvery);
        }
        // Warm-up rounds (warmUp each) go on while the services' JIT compilers are busy, up to this long (for each
        // warm-up: the first at warmUpRate, then one at each measured rate from warmUpRate up).
        Duration warmUpMax = Duration.ofSeconds(Long.parseLong(env.getOrDefault("BENCH_WARM_UP_MAX", quick ? "5" : "120")));
        // The first warm-up's rate: one every machine sustains, to compile the bulk of the paths. 50/s leaves paths
        // that only a busier machine takes (bigger polls and batches), so each measured rate from this one up is
        // then warmed up at itself too (docs/benchmark.md, 2026-12-04 and 2026-12-08 morning).
        double warmUpRate = Double.parseDouble(env.getOrDefault("BENCH_WARM_UP_RATE", "50"));
        if (quick) {
            return new BenchSettings(true, 50, 3, rates, Duration.ofSeconds(5), Duration.ofSeconds(5), warmUpMax, warmUpRate,
                    Duration.ofSeconds(60), 2_000, fanOut, List.of(4, 16), Duration.ofSeconds(3),
                    1_000, 50_000, 1_000, jvm, List.of(10, 1_000, 100_000), 10, Duration.ofSeconds(10),
                    1_000, Duration.ofSeconds(10), hotWindow, hotRounds, hotDirectEvery);
        }
        return new BenchSettings(false, 50, 3, rates, Duration.ofSeconds(20), Duration.ofSeconds(15), warmUpMax, warmUpRate,
                Duration.ofSeconds(120), 20_000, fanOut, List.of(4, 16, 64), Duration.ofSeconds(10),
                5_000, 200_000, 5_000, jvm, List.of(10, 1_000, 100_000), 30, Duration.ofSeconds(60),
                10_000, Duration.ofSeconds(60), hotWindow, hotRounds, hotDirectEvery);
    }
}
