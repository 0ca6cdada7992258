package org.replyensemble.support.security;

import java.util.Collection;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** A request authenticated by a token of the identity provider, with the account read from its claims. */
final class AccountAuthentication extends JwtAuthenticationToken {

    private final Account account;

    AccountAuthentication(Jwt jwt, Collection<? extends GrantedAuthority> authorities, Account account) {
        super(jwt, authorities, account.id());
        this.account = account;
    }

    Account account() {
        return account;
    }
}
