package org.replyensemble.support.security;

import java.util.Collection;
import java.util.List;

import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/** A configured account as Spring Security's HTTP Basic authentication sees it; one per request. */
final class AccountUser implements UserDetails, CredentialsContainer {

    private final Account account;
    private final String username;
    private String passwordHash;

    AccountUser(Account account, String username, String passwordHash) {
        this.account = account;
        this.username = username;
        this.passwordHash = passwordHash;
    }

    Account account() {
        return account;
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return authorities(account);
    }

    @Override
    public String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return username;
    }

    @Override
    public void eraseCredentials() {
        passwordHash = null;
    }

    static List<GrantedAuthority> authorities(Account account) {
        return account.roles().stream().map(role -> (GrantedAuthority) new SimpleGrantedAuthority(role.authority())).toList();
    }
}
