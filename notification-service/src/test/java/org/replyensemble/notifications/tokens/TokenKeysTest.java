package org.replyensemble.notifications.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class TokenKeysTest {

    private static final String SECRET = "a-production-secret-that-is-long-enough-0123";

    @Test
    void withoutASecretTheServiceRefusesToStartUnlessInDevelopmentMode() {
        assertThatThrownBy(() -> TokenKeys.from(List.of(), null, false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("NOTIFICATIONS_TOKENS_SECRETS");
        assertThatThrownBy(() -> TokenKeys.from(List.of(" "), "", false)).isInstanceOf(IllegalStateException.class);

        TokenKeys development = TokenKeys.from(List.of(), null, true);
        assertThat(development.development()).isTrue();
        assertThat(development.sealing()).isEqualTo(TokenKeys.key(TokenKeys.DEVELOPMENT_SECRET));
    }

    @Test
    void aPublishedSecretIsRefusedOutsideDevelopmentMode() {
        for (String published : TokenKeys.PUBLISHED_SECRETS) {
            assertThatThrownBy(() -> TokenKeys.from(List.of(published), null, false))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("published");
            assertThatThrownBy(() -> TokenKeys.from(List.of(SECRET, published), null, false))
                    .as("not even to open old links").isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> TokenKeys.from(List.of(), published, false)).isInstanceOf(IllegalStateException.class);
            assertThat(TokenKeys.from(List.of(published), null, true).development()).isTrue();
        }
    }

    @Test
    void aShortSecretIsRefused() {
        assertThatThrownBy(() -> TokenKeys.from(List.of("too-short"), null, false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> TokenKeys.from(List.of(SECRET, "too-short"), null, true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theFirstSecretSealsAndEveryOneOpens() {
        String older = "an-older-production-secret-long-enough-4567";
        TokenKeys keys = TokenKeys.from(List.of(SECRET, older), null, false);

        assertThat(keys.development()).isFalse();
        assertThat(keys.sealing()).isEqualTo(TokenKeys.key(SECRET));
        assertThat(keys.all()).containsExactly(TokenKeys.key(SECRET), TokenKeys.key(older));
        assertThat(keys.byId(TokenKeys.key(older).id())).contains(TokenKeys.key(older));
        assertThat(TokenKeys.key(SECRET).id()).isNotEqualTo(TokenKeys.key(older).id()).hasSize(12);
    }

    /** The one secret of earlier versions (notifications.unsubscribe.secret) keeps an upgrade's links working. */
    @Test
    void theEarlierSingleSecretIsUsedWhenNoListIsSet() {
        assertThat(TokenKeys.from(List.of(), SECRET, false).all()).containsExactly(TokenKeys.key(SECRET));
        String newer = "a-newer-production-secret-long-enough-89ab";
        assertThat(TokenKeys.from(List.of(newer), SECRET, false).all()).containsExactly(TokenKeys.key(newer));
    }
}
