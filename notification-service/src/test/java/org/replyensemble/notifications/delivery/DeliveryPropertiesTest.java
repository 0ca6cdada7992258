package org.replyensemble.notifications.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DeliveryPropertiesTest {

    private final DeliveryProperties properties = new DeliveryProperties(50, Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofMinutes(10), 0, Duration.ofHours(36), Duration.ofSeconds(15), 2, 50, 3);

    @Test
    void backoffDoublesFromTheBaseUpToTheMaximum() {
        assertThat(properties.backoffAfter(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.backoffAfter(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(properties.backoffAfter(5)).isEqualTo(Duration.ofSeconds(32));
        assertThat(properties.backoffAfter(9)).isEqualTo(Duration.ofSeconds(512));
        assertThat(properties.backoffAfter(10)).isEqualTo(Duration.ofMinutes(10));
        assertThat(properties.backoffAfter(1000)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void theShippedPolicyRetriesAnOutageForHoursWithPausesOfAtMostAQuarterOfAnHour() {
        DeliveryProperties shipped = new DeliveryProperties(50, Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofMinutes(15), 0, Duration.ofHours(36), Duration.ofSeconds(15), 2, 50, 3);
        Duration waited = Duration.ZERO;
        int attempts = 0;
        while (waited.compareTo(shipped.maxAge()) < 0) {
            attempts++;
            assertThat(shipped.backoffAfter(attempts)).isLessThanOrEqualTo(Duration.ofMinutes(15));
            waited = waited.plus(shipped.backoffAfter(attempts));
        }
        // 2 s doubling to 512 s (17 minutes in all), then the rest of the 36 hours at 15 minutes: about 150 attempts.
        assertThat(attempts).isBetween(150, 155);
        assertThat(shipped.leaseRenewal()).isEqualTo(Duration.ofSeconds(5));
    }
}
