package org.replyensemble.comments.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class TimesTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void relativeTimeInWords() {
        assertThat(ago(Duration.ofSeconds(5))).isEqualTo("just now");
        assertThat(ago(Duration.ofSeconds(-30))).isEqualTo("just now"); // a clock a little ahead
        assertThat(ago(Duration.ofMinutes(1))).isEqualTo("1 minute ago");
        assertThat(ago(Duration.ofMinutes(59))).isEqualTo("59 minutes ago");
        assertThat(ago(Duration.ofHours(3))).isEqualTo("3 hours ago");
        assertThat(ago(Duration.ofHours(30))).isEqualTo("yesterday");
        assertThat(ago(Duration.ofDays(12))).isEqualTo("12 days ago");
        assertThat(ago(Duration.ofDays(95))).isEqualTo("3 months ago");
        assertThat(ago(Duration.ofDays(365 * 19 + 10))).isEqualTo("19 years ago");
    }

    @Test
    void absoluteTimeIsUtcAndMachineReadable() {
        Times.Moment moment = Times.of(Instant.parse("2007-03-04T05:06:07.891Z"), NOW);
        assertThat(moment.iso()).isEqualTo("2007-03-04T05:06:07Z");
        assertThat(moment.absolute()).isEqualTo("4 Mar 2007, 05:06 UTC");
        assertThat(Times.of(null, NOW)).isNull();
    }

    private static String ago(Duration duration) {
        return Times.relative(NOW.minus(duration), NOW);
    }
}
