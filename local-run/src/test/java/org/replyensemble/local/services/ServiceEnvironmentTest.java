package org.replyensemble.local.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.replyensemble.local.LocalRunSettings;

class ServiceEnvironmentTest {

    private final ServiceSpec comments = new ServiceSpec("comment-service", 8082, 9082, "comments");

    @Test
    void setsThePortTheDatabaseAndTheSharedDefaults() {
        LocalRunSettings settings = LocalRunSettings.from(Map.of());
        Map<String, String> env = ServiceEnvironment.forService(comments, "jdbc:postgresql://localhost:5433/comments",
                settings.sharedServiceSettings("localhost:9092", "postgres", "postgres"), Map.of());

        assertThat(env).containsEntry("SERVER_PORT", "8082")
                .containsEntry("MANAGEMENT_SERVER_PORT", "9082")
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://localhost:5433/comments")
                .containsEntry("SPRING_DATASOURCE_USERNAME", "postgres")
                .containsEntry("SPRING_DATASOURCE_PASSWORD", "postgres")
                .containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092")
                .containsEntry("SPRING_MAIL_HOST", "localhost")
                .containsEntry("SPRING_MAIL_PORT", "3025")
                .containsEntry("NOTIFICATIONS_PUBLIC_BASE_URL", "http://localhost:8082")
                .containsEntry("NOTIFICATIONS_UNSUBSCRIBE_BASE_URL", "http://localhost:8083");
    }

    @Test
    void neverOverridesASharedSettingTheUserSet() {
        Map<String, String> user = Map.of(
                "SPRING_MAIL_HOST", "smtp.example.org",
                "SPRING_MAIL_PORT", "2525",
                "NOTIFICATIONS_PUBLIC_BASE_URL", "https://blog.example.org",
                "SPRING_KAFKA_BOOTSTRAP_SERVERS", "kafka:29092");
        LocalRunSettings settings = LocalRunSettings.from(user);
        Map<String, String> env = ServiceEnvironment.forService(comments, "jdbc:postgresql://localhost:5433/comments",
                settings.sharedServiceSettings("localhost:9092", "postgres", "postgres"), user);

        assertThat(settings.externalMail()).isTrue();
        assertThat(env).doesNotContainKeys("SPRING_MAIL_HOST", "SPRING_MAIL_PORT", "NOTIFICATIONS_PUBLIC_BASE_URL",
                "SPRING_KAFKA_BOOTSTRAP_SERVERS");
        assertThat(env).containsEntry("SERVER_PORT", "8082").containsEntry("NOTIFICATIONS_UNSUBSCRIBE_BASE_URL", "http://localhost:8083");
    }
}
