package org.replyensemble.notifications.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** What the settings page tells a reader about flood control, from the configured rule. */
class FloodControlPropertiesTest {

    @Test
    void theDefaultRuleInAReadersWords() {
        assertThat(new FloodControlProperties(true, 3, Duration.ofMinutes(10), 20).inReadersWords()).contains(
                "When this thread gets busy, you get at most 3 of its new replies in 10 minutes; the rest come together"
                        + " in one summary email when those 10 minutes are over. Replies to your own comments always come at once.");
    }

    @Test
    void theWindowInTheLargestWholeUnit() {
        assertThat(new FloodControlProperties(true, 1, Duration.ofHours(1), 20).inReadersWords()).hasValueSatisfying(
                words -> assertThat(words).contains("at most 1 of its new replies in one hour;"));
        assertThat(new FloodControlProperties(true, 3, Duration.ofSeconds(90), 20).inReadersWords()).hasValueSatisfying(
                words -> assertThat(words).contains("in 90 seconds;"));
        assertThat(new FloodControlProperties(true, 3, Duration.ofMinutes(90), 20).inReadersWords()).hasValueSatisfying(
                words -> assertThat(words).contains("in 90 minutes;"));
    }

    @Test
    void nothingToSayWhenFloodControlIsOff() {
        assertThat(new FloodControlProperties(false, 3, Duration.ofMinutes(10), 20).inReadersWords()).isEmpty();
    }
}
