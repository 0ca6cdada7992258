package org.replyensemble.notifications.unsubscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.replyensemble.notifications.tokens.InvalidTokenException;
import org.replyensemble.notifications.tokens.SealedTokens;
import org.replyensemble.notifications.tokens.TokenKeys;
import org.replyensemble.notifications.tokens.TokenPurpose;

/** The scope inside an unsubscribe token; the sealing itself is SealedTokensTest's. */
class UnsubscribeTokensTest {

    private static final UUID POST = UUID.fromString("6f1c2d9e-8a41-4c55-9d1e-0f2b3c4d5e6f");
    private final SealedTokens sealed = new SealedTokens(
            TokenKeys.from(List.of("a-test-secret-that-is-long-enough-for-aes"), null, false),
            Clock.fixed(Instant.parse("2026-01-10T10:00:00Z"), ZoneOffset.UTC));
    private final UnsubscribeTokens tokens = new UnsubscribeTokens(sealed, new UnsubscribeProperties(Duration.ofDays(365)));

    @Test
    void aTokenOpensToItsScope() {
        assertThat(tokens.verify(tokens.sign(UnsubscribeScope.thread(" Ann@Example.org", POST))))
                .isEqualTo(UnsubscribeScope.thread("ann@example.org", POST));
        assertThat(tokens.verify(tokens.sign(UnsubscribeScope.everything("ann@example.org"))))
                .isEqualTo(UnsubscribeScope.everything("ann@example.org"));
    }

    @Test
    void aConfirmationTokenUnsubscribesNobody() {
        String confirmation = sealed.seal(TokenPurpose.CONFIRM, "ann@example.org", Map.of("scope", "all"), Duration.ofDays(7));

        assertThatThrownBy(() -> tokens.verify(confirmation)).isInstanceOfSatisfying(InvalidTokenException.class,
                e -> assertThat(e.failure()).isEqualTo(InvalidTokenException.Failure.WRONG_PURPOSE));
    }

    @Test
    void aTokenWithoutAScopeIsMalformed() {
        String noScope = sealed.seal(TokenPurpose.UNSUBSCRIBE, "ann@example.org", Map.of(), Duration.ofDays(7));

        assertThatThrownBy(() -> tokens.verify(noScope)).isInstanceOfSatisfying(InvalidTokenException.class,
                e -> assertThat(e.failure()).isEqualTo(InvalidTokenException.Failure.MALFORMED));
    }
}
