package org.replyensemble.notifications.confirmations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.replyensemble.notifications.confirmations.ConfirmationCaps.Decision;

class ConfirmationCapsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    private static Decision decide(Instant last, int unanswered, boolean suppressed) {
        return ConfirmationCaps.decide(NOW, last, unanswered, suppressed, DAY, 3);
    }

    @Test
    void aMailboxNeverAskedGetsOne() {
        assertThat(decide(null, 0, false)).isEqualTo(Decision.SEND);
    }

    @Test
    void atMostOneADay() {
        assertThat(decide(NOW.minus(Duration.ofHours(23)), 1, false)).isEqualTo(Decision.SENT_RECENTLY);
        assertThat(decide(NOW.minus(DAY), 1, false)).isEqualTo(Decision.SEND);
    }

    @Test
    void atMostThreeUnansweredEver() {
        assertThat(decide(NOW.minus(Duration.ofDays(30)), 2, false)).isEqualTo(Decision.SEND);
        assertThat(decide(NOW.minus(Duration.ofDays(365)), 3, false)).isEqualTo(Decision.TOO_MANY_UNANSWERED);
    }

    @Test
    void aSuppressedMailboxGetsNone() {
        assertThat(decide(null, 0, true)).isEqualTo(Decision.SUPPRESSED);
    }
}
