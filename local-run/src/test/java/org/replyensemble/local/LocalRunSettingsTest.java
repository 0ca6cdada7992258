package org.replyensemble.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class LocalRunSettingsTest {

    @Test
    void defaults() {
        LocalRunSettings s = LocalRunSettings.from(Map.of());
        assertThat(s.services()).extracting(services -> services.name() + ":" + services.port() + ":"
                        + services.managementPort() + ":" + services.database())
                .containsExactly("post-service:8081:9081:posts", "comment-service:8082:9082:comments",
                        "notification-service:8083:9083:notifications");
        assertThat(s.kafkaPort()).isEqualTo(9092);
        assertThat(s.kafkaControllerPort()).isEqualTo(9093);
        assertThat(s.postgresPort()).isEqualTo(5433);
        assertThat(s.smtpPort()).isEqualTo(3025);
        assertThat(s.mailUiPort()).isEqualTo(8025);
        assertThat(s.externalMail()).isFalse();
        assertThat(s.seedFile()).isEqualTo("seeds/vitamin-k2-thread.json");
    }

    @Test
    void everyPortFromTheEnvironment() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("POST_SERVICE_PORT", "9181", "COMMENT_SERVICE_PORT", "9182",
                "NOTIFICATION_SERVICE_PORT", "9183", "KAFKA_PORT", "19092", "KAFKA_CONTROLLER_PORT", "19093",
                "POSTGRES_PORT", "15432", "SMTP_PORT", "1025", "MAIL_UI_PORT", "18025", "SEED_FILE", "none"));
        env.putAll(Map.of("POST_SERVICE_MANAGEMENT_PORT", "19181", "COMMENT_SERVICE_MANAGEMENT_PORT", "19182",
                "NOTIFICATION_SERVICE_MANAGEMENT_PORT", "19183"));
        LocalRunSettings s = LocalRunSettings.from(env);
        assertThat(s.services()).extracting(ss -> ss.port()).containsExactly(9181, 9182, 9183);
        assertThat(s.services()).extracting(ss -> ss.managementPort()).containsExactly(19181, 19182, 19183);
        assertThat(s.kafkaPort()).isEqualTo(19092);
        assertThat(s.kafkaControllerPort()).isEqualTo(19093);
        assertThat(s.postgresPort()).isEqualTo(15432);
        assertThat(s.smtpPort()).isEqualTo(1025);
        assertThat(s.mailUiPort()).isEqualTo(18025);
        assertThat(s.seedFile()).isNull();
        assertThat(s.sharedServiceSettings("k:1", "u", "p")).containsEntry("NOTIFICATIONS_PUBLIC_BASE_URL", "http://localhost:9182")
                .containsEntry("SPRING_MAIL_PORT", "1025");
    }

    @Test
    void theSeedReplayFitsTheLocalCommentLimitsAndTheUsersOwnWin() {
        LocalRunSettings defaults = LocalRunSettings.from(Map.of());
        Map<String, String> shared = defaults.sharedServiceSettings("k:1", "u", "p");
        assertThat(Long.parseLong(shared.get("COMMENTS_RATELIMIT_CLIENTPERMINUTE"))).isGreaterThanOrEqualTo(16);
        assertThat(Long.parseLong(shared.get("COMMENTS_RATELIMIT_MAILBOXPERMINUTE"))).isGreaterThanOrEqualTo(8);
        assertThat(defaults.commentLimits(shared)).isEqualTo("per client 60/min, 1000/day; per mailbox 20/min, 200/day");

        LocalRunSettings own = LocalRunSettings.from(Map.of("COMMENTS_RATELIMIT_CLIENTPERMINUTE", "3"));
        assertThat(own.commentLimits(own.sharedServiceSettings("k:1", "u", "p"))).startsWith("per client 3/min");
        LocalRunSettings off = LocalRunSettings.from(Map.of("COMMENTS_RATELIMIT_ENABLED", "false"));
        assertThat(off.commentLimits(off.sharedServiceSettings("k:1", "u", "p"))).startsWith("off");
    }

    @Test
    void theSeedReplayRunsWithFloodControlOffAndSaysSoUnlessTheUserTurnsItOn() {
        LocalRunSettings defaults = LocalRunSettings.from(Map.of());
        Map<String, String> shared = defaults.sharedServiceSettings("k:1", "u", "p");
        assertThat(shared).containsEntry("NOTIFICATIONS_FLOODCONTROL_ENABLED", "false");
        assertThat(defaults.floodControl(shared)).isFalse();
        assertThat(defaults.floodControlInWords(shared)).startsWith("off").contains("one email per recipient per comment");

        LocalRunSettings on = LocalRunSettings.from(Map.of("NOTIFICATIONS_FLOODCONTROL_ENABLED", "true"));
        Map<String, String> onShared = on.sharedServiceSettings("k:1", "u", "p");
        assertThat(on.floodControl(onShared)).isTrue();
        assertThat(on.floodControlInWords(onShared)).startsWith("on").contains("flood-control.expected.json");
    }

    @Test
    void eachRunSealsItsLinksWithAFreshRandomKey() {
        LocalRunSettings s = LocalRunSettings.from(Map.of());
        String first = s.sharedServiceSettings("k:1", "u", "p").get("NOTIFICATIONS_TOKENS_SECRETS");
        String second = s.sharedServiceSettings("k:1", "u", "p").get("NOTIFICATIONS_TOKENS_SECRETS");
        assertThat(first).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(second);
    }

    @Test
    void rejectsAPortThatIsNoPort() {
        assertThatThrownBy(() -> LocalRunSettings.from(Map.of("KAFKA_PORT", "ninety")))
                .hasMessageContaining("KAFKA_PORT");
    }
}
