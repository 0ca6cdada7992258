package org.replyensemble.local.accounts;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * What a client of the services signs in with: a configured account's username and password (HTTP
 * Basic) or a token of the identity provider (Bearer). Immutable; its text form never shows the secret.
 */
public final class Credentials {

    private final String username;
    private final String authorization;

    private Credentials(String username, String authorization) {
        this.username = username;
        this.authorization = authorization;
    }

    public static Credentials basic(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        return new Credentials(username, "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    public static Credentials bearer(String token) {
        return new Credentials(null, "Bearer " + Objects.requireNonNull(token, "token"));
    }

    /** The value of the {@code Authorization} header. */
    public String authorization() {
        return authorization;
    }

    /** The account's username; null for a token. */
    public String username() {
        return username;
    }

    @Override
    public String toString() {
        return username == null ? "Credentials[bearer token]" : "Credentials[" + username + "]";
    }
}
