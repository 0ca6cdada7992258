package org.replyensemble.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.replyensemble.bench.load.Latencies;

class WarmRoundsPooledTest {

    @Test
    void poolsTheWarmRoundsSoThatTwoSlowRepliesOfOneRoundAreNotItsP99() {
        Results.HotThreadRun fresh = round(many(100, 1000.0), many(100, 50.0));
        Results.HotThreadRun warmWithTwoSlow = round(concat(many(98, 19.0), many(2, 500.0)), many(100, 10.0));
        Results.HotThreadRun warm = round(many(100, 19.0), many(100, 10.0));

        String pooled = ReportWriter.warmRoundsPooled(List.of(fresh, warmWithTwoSlow, warm));

        // Alone, the round with two slow replies has them as its p99 (its 99th of 100).
        assertThat(warmWithTwoSlow.directReplyMs().p99()).isGreaterThan(499);
        // Pooled with the other warm round they are 2 of 200; round 1's second-long replies stay out.
        assertThat(pooled).contains("Rounds 2-3 (warm) pooled")
                .contains("| on the hot thread | 200 | 19.0 | 19.0 | 19.0 | 500 |")
                .contains("| on a quiet thread | 200 | 10.0 | 10.0 | 10.0 | 10.0 |")
                .contains("| hot / quiet | | 1.90x | 1.90x | 1.90x (target <= 2x: met) | |");
    }

    @Test
    void saysTheTargetIsNotMetWhenThePooledRatioIsAboveTwo() {
        Results.HotThreadRun warm = round(many(100, 30.0), many(100, 10.0));

        assertThat(ReportWriter.warmRoundsPooled(List.of(warm, warm, warm)))
                .contains("| hot / quiet | | 3.00x | 3.00x | 3.00x (target <= 2x: NOT met) | |");
    }

    @Test
    void addsNothingWithFewerThanTwoWarmRounds() {
        Results.HotThreadRun round = round(many(100, 30.0), many(100, 10.0));

        assertThat(ReportWriter.warmRoundsPooled(List.of(round))).isEmpty();
        assertThat(ReportWriter.warmRoundsPooled(List.of(round, round))).isEmpty();
    }

    private static List<Double> many(int count, double ms) {
        return Collections.nCopies(count, ms);
    }

    private static List<Double> concat(List<Double> first, List<Double> second) {
        List<Double> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static Results.HotThreadRun round(List<Double> directMs, List<Double> quietMs) {
        Latencies.Summary direct = Latencies.ofMillis(directMs);
        return new Results.HotThreadRun(10_000, 20, 60, 1200, 0, 4, directMs.size(), directMs.size(), direct, direct,
                Latencies.ofMillis(quietMs), "120 s", 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 384, 0, 0, 0, 0, true, "", "",
                directMs, quietMs);
    }
}
