package org.replyensemble.support.security;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The person behind an authenticated request, whichever way they signed in (a configured account
 * with HTTP Basic, or a JWT from the operator's identity provider).
 *
 * @param id    stable and unique across both kinds: {@code basic:<username>} or {@code jwt:<subject>};
 *              a service stores it to know whose a thing is
 * @param name  the display name (no control characters, at most 100 characters)
 * @param email the account's address, counted as verified (a configured account's is set by the
 *              operator; a token's only when the provider vouches for it); null when there is none
 * @param roles what the account may do
 */
public record Account(String id, String name, String email, Set<Role> roles) {

    public static final int MAX_NAME_LENGTH = 100;
    public static final int MAX_EMAIL_LENGTH = 254;
    // The rule the public API applies to addresses: @Email alone accepts "ann@localhost".
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }

    public Optional<String> address() {
        return Optional.ofNullable(email);
    }

    /** What an address must look like to be an account's. */
    public static boolean isValidAddress(String email) {
        return email != null && email.length() <= MAX_EMAIL_LENGTH && ADDRESS.matcher(email).matches();
    }

    /** Logs may show who did something, never the address. */
    @Override
    public String toString() {
        return "Account[" + id + ", " + roles + "]";
    }
}
