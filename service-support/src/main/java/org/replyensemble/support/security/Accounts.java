package org.replyensemble.support.security;

import java.util.Optional;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The {@link Account} of an authentication, whichever kind it is. */
public final class Accounts {

    private Accounts() {
    }

    /** The account of the request being handled, if it is authenticated. */
    public static Optional<Account> current() {
        return of(SecurityContextHolder.getContext().getAuthentication());
    }

    public static Optional<Account> of(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()) {
            return Optional.empty();
        }
        if (authentication instanceof AccountAuthentication token) {
            return Optional.of(token.account());
        }
        if (authentication.getPrincipal() instanceof AccountUser user) {
            return Optional.of(user.account());
        }
        return Optional.empty();
    }
}
