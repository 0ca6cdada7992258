package org.replyensemble.support.operations;

import java.time.Clock;
import java.time.Duration;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code kafka} health component: the last answer of {@link KafkaWatch}, so a probe never waits
 * on a broker. DOWN when the brokers did not answer, or when no check came back for two rounds.
 */
public final class KafkaHealthIndicator implements HealthIndicator {

    private final KafkaWatch watch;
    private final Clock clock;

    public KafkaHealthIndicator(KafkaWatch watch, Clock clock) {
        this.watch = watch;
        this.clock = clock;
    }

    @Override
    public Health health() {
        KafkaWatch.Snapshot last = watch.last();
        if (last.reachable() == null) {
            return Health.unknown().withDetail("checked", "not yet").build();
        }
        Duration age = Duration.between(last.checkedAt(), clock.instant());
        Health.Builder health = last.reachable() ? Health.up() : Health.down();
        if (age.compareTo(watch.staleAfter()) > 0) {
            health = Health.down().withDetail("stale", "no answer from the check for " + age.toSeconds() + " s");
        }
        health.withDetail("checkedAt", last.checkedAt().toString());
        if (last.clusterId() != null) {
            health.withDetail("clusterId", last.clusterId()).withDetail("brokers", last.brokers());
        }
        if (last.error() != null) {
            health.withDetail("error", last.error());
        }
        if (watch.group() != null) {
            health.withDetail("group", watch.group())
                    .withDetail("lag", last.lag().values().stream().mapToLong(Long::longValue).sum());
        }
        return health.build();
    }
}
