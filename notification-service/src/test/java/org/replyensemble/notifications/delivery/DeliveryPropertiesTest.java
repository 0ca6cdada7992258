package org.replyensemble.notifications.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DeliveryPropertiesTest {

    private final DeliveryProperties properties = new DeliveryProperties(50, Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofMinutes(10), 8, Duration.ofMinutes(2), 2, 50, 3);

    @Test
    void backoffDoublesFromTheBaseUpToTheMaximum() {
        assertThat(properties.backoffAfter(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.backoffAfter(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(properties.backoffAfter(5)).isEqualTo(Duration.ofSeconds(32));
        assertThat(properties.backoffAfter(9)).isEqualTo(Duration.ofSeconds(512));
        assertThat(properties.backoffAfter(10)).isEqualTo(Duration.ofMinutes(10));
        assertThat(properties.backoffAfter(1000)).isEqualTo(Duration.ofMinutes(10));
    }
}
