package org.replyensemble.outbox;

import java.util.Arrays;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.api.Location;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Gives a service that depends on this module an {@link Outbox}, its table and its relay. */
@AutoConfiguration(afterName = {
        "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
        "org.springframework.boot.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@EnableConfigurationProperties(OutboxProperties.class)
public class OutboxAutoConfiguration {

    static final String MIGRATIONS = "classpath:db/outbox";

    @Bean
    OutboxRelay outboxRelay(JdbcClient jdbc, PlatformTransactionManager transactions,
            KafkaTemplate<String, String> kafka, OutboxProperties properties, ObjectProvider<MeterRegistry> meters) {
        return new OutboxRelay(jdbc, new TransactionTemplate(transactions), kafka, properties,
                meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    Outbox outbox(JdbcClient jdbc, OutboxRelay relay) {
        return new Outbox(jdbc, relay);
    }

    /** Adds the outbox table's migration to the service's own, so no service copies it. */
    @Bean
    FlywayConfigurationCustomizer outboxMigrations() {
        return configuration -> {
            Location[] own = configuration.getLocations();
            String[] all = Stream.concat(Arrays.stream(own).map(Location::getDescriptor), Stream.of(MIGRATIONS))
                    .distinct().toArray(String[]::new);
            configuration.locations(all);
        };
    }
}
