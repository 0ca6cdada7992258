package org.replyensemble.support.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.Jwt;

class JwtAccountsTest {

    private final JwtAccounts accounts = new JwtAccounts(new AccountProperties.Jwt("name", "email", "roles"));

    @Test
    void theSubjectIsTheIdentityAndTheClaimsGiveNameAddressAndRoles() {
        Account account = account(accounts, jwt -> jwt.claim("name", " Ann Author ").claim("email", "ann@example.org")
                .claim("email_verified", true).claim("roles", List.of("author", "blog-admin")));

        assertThat(account.id()).isEqualTo("jwt:user-1");
        assertThat(account.name()).isEqualTo("Ann Author");
        assertThat(account.email()).isEqualTo("ann@example.org");
        assertThat(account.roles()).as("roles this system does not know are ignored").containsExactly(Role.AUTHOR);
    }

    @Test
    void anAddressCountsOnlyWhenTheProviderDoesNotSayItIsUnverified() {
        assertThat(account(accounts, jwt -> jwt.claim("email", "ann@example.org")).email())
                .as("no email_verified claim: the provider vouches for its addresses").isEqualTo("ann@example.org");
        assertThat(account(accounts, jwt -> jwt.claim("email", "ann@example.org").claim("email_verified", false)).email()).isNull();
        assertThat(account(accounts, jwt -> jwt.claim("email", "ann@example.org").claim("email_verified", "false")).email()).isNull();
        assertThat(account(accounts, jwt -> jwt.claim("email", "ann@example.org").claim("email_verified", "true")).email())
                .isEqualTo("ann@example.org");
        assertThat(account(accounts, jwt -> jwt.claim("email", "ann@localhost")).email()).as("not a usable address").isNull();
    }

    @Test
    void theNameFallsBackToThePreferredUsernameThenTheSubject() {
        assertThat(account(accounts, jwt -> jwt.claim("preferred_username", "ann")).name()).isEqualTo("ann");
        assertThat(account(accounts, jwt -> jwt.claim("roles", "author")).name()).isEqualTo("user-1");
    }

    @Test
    void rolesMayBeASpaceSeparatedStringOrANestedList() {
        assertThat(account(accounts, jwt -> jwt.claim("roles", "author operator")).roles())
                .containsExactlyInAnyOrder(Role.AUTHOR, Role.OPERATOR);

        JwtAccounts keycloak = new JwtAccounts(new AccountProperties.Jwt("name", "email", "realm_access.roles"));
        assertThat(account(keycloak, jwt -> jwt.claim("realm_access", Map.of("roles", List.of("OPERATOR", "offline_access")))).roles())
                .containsExactly(Role.OPERATOR);
        assertThat(account(keycloak, jwt -> jwt.claim("realm_access", "not an object")).roles()).isEmpty();
    }

    @Test
    void aNameThatCouldForgeAnEmailHeaderRefusesTheToken() {
        assertThatThrownBy(() -> account(accounts, jwt -> jwt.claim("name", "Ann\r\nBcc: all@example.org")))
                .isInstanceOf(OAuth2AuthenticationException.class)
                .hasMessageContaining("not a usable display name");
        assertThatThrownBy(() -> accounts.convert(Jwt.withTokenValue("t").header("alg", "RS256").claim("name", "Ann")
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60)).build()))
                .isInstanceOf(OAuth2AuthenticationException.class)
                .hasMessageContaining("no subject");
    }

    private static Account account(JwtAccounts accounts, Consumer<Jwt.Builder> claims) {
        Jwt.Builder jwt = Jwt.withTokenValue("token").header("alg", "RS256").subject("user-1")
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60));
        claims.accept(jwt);
        return Accounts.of(accounts.convert(jwt.build())).orElseThrow();
    }
}
