package org.replyensemble.notifications.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DailyCapTest {

    @Test
    void everythingWithinTheCapGoesOut() {
        assertThat(DailyCap.allowed(3, 3, 50)).isEqualTo(3);
        assertThat(DailyCap.allowed(50, 1, 50)).isEqualTo(1);
    }

    @Test
    void aBatchThatCrossesTheCapSendsUpToIt() {
        // 48 counted before this batch of 5: 2 go out, 3 are skipped.
        assertThat(DailyCap.allowed(53, 5, 50)).isEqualTo(2);
    }

    @Test
    void pastTheCapNothingGoesOut() {
        assertThat(DailyCap.allowed(51, 1, 50)).isZero();
        assertThat(DailyCap.allowed(80, 5, 50)).isZero();
    }

    /** Another sender counted 10 for the same recipient between this one's reads: its own increment still tells. */
    @Test
    void countsOfOtherSendersAreIncluded() {
        assertThat(DailyCap.allowed(45 + 10 + 2, 2, 50)).isZero();
        assertThat(DailyCap.allowed(38 + 10 + 2, 2, 50)).isEqualTo(2);
    }
}
