package org.replyensemble.support.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

class ConfiguredAccountsTest {

    private static final String HASH = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("correct horse");

    @Test
    void aWellFormedAccountIsFoundByItsUsernameInAnyCase() {
        ConfiguredAccounts accounts = new ConfiguredAccounts(List.of(
                new AccountProperties.User("Ann", HASH, "Ann Author", " ann@example.org ", List.of("author", "ROLE_OPERATOR"))));

        AccountUser user = (AccountUser) accounts.loadUserByUsername("ann");
        assertThat(user.account().id()).isEqualTo("basic:ann");
        assertThat(user.account().name()).isEqualTo("Ann Author");
        assertThat(user.account().email()).isEqualTo("ann@example.org");
        assertThat(user.account().roles()).containsExactlyInAnyOrder(Role.AUTHOR, Role.OPERATOR);
        assertThat(user.getAuthorities()).extracting(Object::toString).containsExactlyInAnyOrder("ROLE_AUTHOR", "ROLE_OPERATOR");
        assertThat(user.getPassword()).isEqualTo(HASH);
        assertThatThrownBy(() -> accounts.loadUserByUsername("bob")).isInstanceOf(UsernameNotFoundException.class);
    }

    @Test
    void eachSignInGetsItsOwnCopySoErasingOneKeepsTheAccountWorking() {
        ConfiguredAccounts accounts = new ConfiguredAccounts(List.of(
                new AccountProperties.User("olga", HASH, null, null, List.of("OPERATOR"))));
        AccountUser first = (AccountUser) accounts.loadUserByUsername("olga");
        first.eraseCredentials();
        assertThat(accounts.loadUserByUsername("olga").getPassword()).isEqualTo(HASH);
        assertThat(first.account().name()).as("the name defaults to the username").isEqualTo("olga");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "s3cret-plaintext | not hashed: plaintext passwords are refused",
            "{noop}s3cret-plaintext | {noop} (plaintext) passwords are refused",
            "{NOOP}s3cret-plaintext | {noop} (plaintext) passwords are refused",
            "{sha256}s3cret-plaintext | hashed with another encoder than {bcrypt}",
            "{s3cret-plaintext}rest | hashed with another encoder than {bcrypt}",
            "{bcrypt}s3cret-plaintext | not a well-formed bcrypt hash",
            "$2a$10$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234 | a bcrypt hash without its {bcrypt} prefix" })
    void passwordsThatAreNotBcryptHashesAreRefusedWithoutRepeatingThem(String password, String reason) {
        assertThatThrownBy(() -> new ConfiguredAccounts(List.of(
                new AccountProperties.User("ann", password, "Ann", "ann@example.org", List.of("AUTHOR")))))
                .isInstanceOf(AccountConfigurationException.class)
                .hasMessageContaining("accounts.users[0] (ann): password: " + reason)
                .message().doesNotContain("s3cret");
    }

    @Test
    void everyProblemOfEveryAccountIsListedAtOnce() {
        assertThatThrownBy(() -> new ConfiguredAccounts(List.of(
                new AccountProperties.User("ann", HASH, "Ann", null, List.of("AUTHOR")),
                new AccountProperties.User("bad:name", null, "Evil\nBcc: x@example.org", "not-an-address", List.of("ADMIN")),
                new AccountProperties.User("ANN", HASH, "Ann again", "ann2@example.org", List.of()))))
                .isInstanceOfSatisfying(AccountConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "accounts.users[0] (ann): email: an AUTHOR needs one (posts are published under it)",
                        "accounts.users[1] (bad:name): username: 1 to 100 letters, digits or . _ @ + -",
                        "accounts.users[1] (bad:name): password: missing; give a {bcrypt} hash of the password",
                        "accounts.users[1] (bad:name): name: at most 100 characters, no control characters or line breaks",
                        "accounts.users[1] (bad:name): email: not a valid address",
                        "accounts.users[1] (bad:name): roles: one or more of [AUTHOR, OPERATOR], not [ADMIN]",
                        "accounts.users[2] (ANN): roles: one or more of [AUTHOR, OPERATOR]",
                        "accounts.users[2] (ANN): username: another account already has it"));
    }

    @Test
    void theFailureReportSaysHowToMakeAHash() {
        AccountConfigurationException failure = new AccountConfigurationException(List.of("accounts.users[0] (ann): password: ..."));
        var analysis = new AccountConfigurationFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).contains("accounts.users[0] (ann)");
        assertThat(analysis.getAction()).contains(PasswordHash.class.getName(), "htpasswd -nBC", "{bcrypt}");
    }

    @Test
    void thePasswordHashToolMakesWhatTheAccountsAccept() {
        String hash = PasswordHash.hash("a long passphrase", 4);
        assertThat(ConfiguredAccounts.passwordProblem(hash)).isEmpty();
        assertThat(new BCryptPasswordEncoder().matches("a long passphrase", hash.substring("{bcrypt}".length()))).isTrue();
    }

    @Test
    void htpasswdsBcryptHashesWorkToo() {
        // htpasswd -B writes the $2y$ variant; it is the same algorithm.
        String htpasswd = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("from htpasswd").replace("$2a$", "$2y$");
        assertThat(ConfiguredAccounts.passwordProblem(htpasswd)).isEmpty();
        assertThat(org.springframework.security.crypto.factory.PasswordEncoderFactories.createDelegatingPasswordEncoder()
                .matches("from htpasswd", htpasswd)).isTrue();
    }

    @Test
    void accountsNeverShowTheirPasswordOrAddressWhenPrinted() {
        assertThat(new AccountProperties.User("ann", HASH, "Ann", "ann@example.org", List.of("AUTHOR")).toString())
                .doesNotContain(HASH).doesNotContain("ann@example.org");
        assertThat(new Account("basic:ann", "Ann", "ann@example.org", java.util.Set.of(Role.AUTHOR)).toString())
                .doesNotContain("ann@example.org");
    }
}
