package org.replyensemble.notifications.unsubscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class UnsubscribeTokensTest {

    private static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256";
    private static final Instant NOW = Instant.parse("2026-01-10T10:00:00Z");
    private static final UUID POST = UUID.fromString("6f1c2d9e-8a41-4c55-9d1e-0f2b3c4d5e6f");

    private final UnsubscribeTokens tokens = tokensAt(NOW, SECRET);

    private static UnsubscribeTokens tokensAt(Instant now, String secret) {
        return new UnsubscribeTokens(new UnsubscribeProperties(secret, Duration.ofDays(365)), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aSignedTokenVerifiesToItsScope() {
        assertThat(tokens.verify(tokens.sign(UnsubscribeScope.thread(" Ann@Example.org", POST))))
                .isEqualTo(UnsubscribeScope.thread("ann@example.org", POST));
        assertThat(tokens.verify(tokens.sign(UnsubscribeScope.everything("ann@example.org"))))
                .isEqualTo(UnsubscribeScope.everything("ann@example.org"));
    }

    @Test
    void aTamperedTokenIsRejected() {
        String token = tokens.sign(UnsubscribeScope.thread("ann@example.org", POST));
        String[] parts = token.split("\\.");
        char[] ciphertext = parts[3].toCharArray();
        ciphertext[0] = ciphertext[0] == 'A' ? 'B' : 'A';
        parts[3] = new String(ciphertext);

        assertThatThrownBy(() -> tokens.verify(String.join(".", parts)))
                .isInstanceOf(InvalidUnsubscribeTokenException.class).hasMessageContaining("signature");
    }

    @Test
    void aTokenDoesNotRevealTheAddress() {
        String token = tokens.sign(UnsubscribeScope.thread("ann@example.org", POST));

        for (String part : token.split("\\.")) {
            String decoded = new String(Base64.getUrlDecoder().decode(part), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(decoded).doesNotContain("ann@example.org").doesNotContain(POST.toString());
        }
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRejected() {
        String foreign = tokensAt(NOW, "another-secret-that-is-also-long-enough-x").sign(UnsubscribeScope.everything("ann@example.org"));

        assertThatThrownBy(() -> tokens.verify(foreign)).isInstanceOf(InvalidUnsubscribeTokenException.class);
    }

    @Test
    void aMalformedTokenIsRejected() {
        assertThatThrownBy(() -> tokens.verify("not-a-token")).isInstanceOf(InvalidUnsubscribeTokenException.class)
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> tokens.verify("")).isInstanceOf(InvalidUnsubscribeTokenException.class);
        assertThatThrownBy(() -> tokens.verify(null)).isInstanceOf(InvalidUnsubscribeTokenException.class);
    }

    @Test
    void anExpiredTokenIsRejected() {
        String token = tokens.sign(UnsubscribeScope.everything("ann@example.org"));

        assertThat(tokensAt(NOW.plus(Duration.ofDays(364)), SECRET).verify(token)).isNotNull();
        assertThatThrownBy(() -> tokensAt(NOW.plus(Duration.ofDays(366)), SECRET).verify(token))
                .isInstanceOf(InvalidUnsubscribeTokenException.class).hasMessageContaining("expired");
    }

    @Test
    void aShortSecretIsRefusedAtStartUp() {
        assertThatThrownBy(() -> new UnsubscribeProperties("too-short", Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
