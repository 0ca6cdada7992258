package org.replyensemble.local.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

class LocalAccountsTest {

    @Test
    void everyRunHasItsOwnAuthorAndOperatorWithRandomPasswords() {
        LocalAccounts first = LocalAccounts.create("Arrow Durfee", "arrow.durfee@example.org");
        LocalAccounts second = LocalAccounts.create("Arrow Durfee", "arrow.durfee@example.org");

        assertThat(first.author().username()).isEqualTo("arrow.durfee");
        assertThat(first.author().email()).isEqualTo("arrow.durfee@example.org");
        assertThat(first.operator().username()).isEqualTo("operator");
        assertThat(first.author().password()).hasSizeGreaterThanOrEqualTo(24).isNotEqualTo(second.author().password());
        assertThat(first.operator().password()).isNotEqualTo(second.operator().password()).isNotEqualTo(first.author().password());
    }

    @Test
    void theServicesGetOnlyBcryptHashes() {
        LocalAccounts accounts = LocalAccounts.create("Arrow Durfee", "arrow.durfee@example.org");
        Map<String, String> env = accounts.environment();

        assertThat(env).containsEntry("ACCOUNTS_USERS_0_USERNAME", "arrow.durfee")
                .containsEntry("ACCOUNTS_USERS_0_NAME", "Arrow Durfee")
                .containsEntry("ACCOUNTS_USERS_0_EMAIL", "arrow.durfee@example.org")
                .containsEntry("ACCOUNTS_USERS_0_ROLES", "AUTHOR")
                .containsEntry("ACCOUNTS_USERS_1_USERNAME", "operator")
                .containsEntry("ACCOUNTS_USERS_1_ROLES", "OPERATOR")
                .doesNotContainKey("ACCOUNTS_USERS_1_EMAIL");
        assertThat(env.values()).doesNotContain(accounts.author().password(), accounts.operator().password());
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
        assertThat(env.get("ACCOUNTS_USERS_0_PASSWORD")).startsWith("{bcrypt}$2a$10$");
        assertThat(bcrypt.matches(accounts.author().password(), env.get("ACCOUNTS_USERS_0_PASSWORD").substring(8))).isTrue();
        assertThat(bcrypt.matches(accounts.operator().password(), env.get("ACCOUNTS_USERS_1_PASSWORD").substring(8))).isTrue();
        assertThat(accounts.toString()).doesNotContain(accounts.author().password());
    }

    @Test
    void usernamesAreMadeFromNames() {
        assertThat(LocalAccounts.usernameFor("Zoë Ångström")).isEqualTo("zoe.angstrom");
        assertThat(LocalAccounts.usernameFor("李小龙")).isEqualTo("author");
        assertThat(LocalAccounts.usernameFor("  -Dr. Who-  ")).isEqualTo("dr.who");
    }

    @Test
    void credentialsNeverShowTheSecret() {
        assertThat(Credentials.basic("ann", "s3cret").authorization()).isEqualTo("Basic YW5uOnMzY3JldA==");
        assertThat(Credentials.basic("ann", "s3cret").toString()).doesNotContain("s3cret");
        assertThat(Credentials.bearer("tok3n").toString()).doesNotContain("tok3n");
    }
}
