package org.replyensemble.support.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ErasureKeyTest {

    private static final String OWN = "erasure-key-tests-own-key-0123456789abcdef";

    @Test
    void theSubjectIsAKeyedHashOfTheNormalizedAddress() throws Exception {
        String bareSha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("paul@example.org".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        ErasureKey key = ErasureKey.from(OWN, false);
        assertThat(key.subject("Paul@Example.org ")).isEqualTo(key.subject("paul@example.org")).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(key.subject("paul@example.org")).isNotEqualTo(key.subject("paula@example.org"))
                // keyed: another key, another subject; and not the bare SHA-256 anyone could compute
                .isNotEqualTo(ErasureKey.from(OWN + "x", false).subject("paul@example.org"))
                .isNotEqualTo(bareSha256);
    }

    @Test
    void noKeyAShortOneOrThePublishedOneIsRefusedOutsideDevelopmentMode() {
        assertThatThrownBy(() -> ErasureKey.from("", false)).hasMessageContaining("ENSEMBLE_ERASURE_KEY");
        assertThatThrownBy(() -> ErasureKey.from("short", false)).hasMessageContaining("shorter than 32 bytes");
        assertThatThrownBy(() -> ErasureKey.from(ErasureKey.DEVELOPMENT_KEY, false)).hasMessageContaining("published development key");
        assertThat(ErasureKey.from("", true).subject("a@b.org")).isEqualTo(ErasureKey.from(ErasureKey.DEVELOPMENT_KEY, true).subject("a@b.org"));
    }
}
