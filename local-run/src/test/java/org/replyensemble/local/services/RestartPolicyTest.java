package org.replyensemble.local.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    private static final Instant T0 = Instant.parse("2026-11-30T18:00:00Z");

    @Test
    void pausesGrowAndStopAtTheMaximum() {
        RestartPolicy policy = new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(5), 10, Duration.ofMinutes(10));
        assertThat(policy.stopped(T0)).isEqualTo(new RestartPolicy.Restart(Duration.ofSeconds(1), 1));
        assertThat(policy.stopped(T0.plusSeconds(10))).isEqualTo(new RestartPolicy.Restart(Duration.ofSeconds(2), 2));
        assertThat(policy.stopped(T0.plusSeconds(20))).isEqualTo(new RestartPolicy.Restart(Duration.ofSeconds(4), 3));
        assertThat(policy.stopped(T0.plusSeconds(30))).isEqualTo(new RestartPolicy.Restart(Duration.ofSeconds(5), 4));
    }

    @Test
    void aCrashLoopIsGivenUpAndAQuietWindowStartsAfresh() {
        RestartPolicy policy = new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 3, Duration.ofMinutes(10));
        for (int i = 0; i < 3; i++) {
            assertThat(policy.stopped(T0.plusSeconds(i * 20))).isInstanceOf(RestartPolicy.Restart.class);
        }
        assertThat(policy.stopped(T0.plusSeconds(60))).isEqualTo(new RestartPolicy.GiveUp(3));
        // Ten minutes after the first restart it no longer counts: one more restart is allowed, with a shorter pause.
        assertThat(policy.stopped(T0.plus(Duration.ofMinutes(10)).plusSeconds(1)))
                .isEqualTo(new RestartPolicy.Restart(Duration.ofSeconds(4), 3));
    }

    @Test
    void eachServiceCountsItsOwnRestarts() {
        RestartPolicy policy = new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 1, Duration.ofMinutes(10));
        RestartPolicy other = policy.copy();
        assertThat(policy.stopped(T0)).isInstanceOf(RestartPolicy.Restart.class);
        assertThat(policy.stopped(T0.plusSeconds(1))).isInstanceOf(RestartPolicy.GiveUp.class);
        assertThat(other.stopped(T0.plusSeconds(1))).isEqualTo(new RestartPolicy.Restart(Duration.ofSeconds(1), 1));
    }
}
