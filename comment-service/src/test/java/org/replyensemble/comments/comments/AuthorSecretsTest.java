package org.replyensemble.comments.comments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class AuthorSecretsTest {

    @Test
    void aSecretIs256RandomBitsAndOnlyItsHashMatches() {
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            secrets.add(AuthorSecrets.newSecret());
        }
        assertThat(secrets).hasSize(1000).allMatch(secret -> secret.matches("[A-Za-z0-9_-]{43}"));

        String secret = AuthorSecrets.newSecret();
        byte[] stored = AuthorSecrets.hash(secret);
        assertThat(stored).hasSize(32);
        assertThat(AuthorSecrets.matches(secret, stored)).isTrue();
        assertThat(AuthorSecrets.matches(" " + secret + " ", stored)).as("spaces around a pasted secret").isTrue();
        assertThat(AuthorSecrets.matches(secret.substring(1), stored)).isFalse();
        assertThat(AuthorSecrets.matches(AuthorSecrets.newSecret(), stored)).isFalse();
        assertThat(AuthorSecrets.matches(null, stored)).isFalse();
        assertThat(AuthorSecrets.matches("", stored)).isFalse();
        assertThat(AuthorSecrets.matches("x".repeat(10_000), stored)).isFalse();
        assertThat(AuthorSecrets.matches(secret, new byte[0])).as("a comment from before secrets existed").isFalse();
    }
}
