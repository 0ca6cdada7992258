package org.replyensemble.support.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The accounts a service accepts. None by default: without accounts and without an identity
 * provider nobody can do what needs one (there is no default credential).
 *
 * <pre>
 * accounts:
 *   users:                       # HTTP Basic; env ACCOUNTS_USERS_0_USERNAME, ACCOUNTS_USERS_0_PASSWORD, ...
 *     - username: ann
 *       password: "{bcrypt}$2a$10$..."   # a bcrypt hash, never the password itself
 *       name: Ann Author
 *       email: ann@example.org
 *       roles: [AUTHOR]
 *   jwt:                         # claims read from the identity provider's tokens (the provider itself is
 *     name-claim: name           # spring.security.oauth2.resourceserver.jwt.issuer-uri or jwk-set-uri)
 *     email-claim: email
 *     roles-claim: roles         # a dotted path reaches into an object, e.g. realm_access.roles (Keycloak)
 * </pre>
 */
@ConfigurationProperties("accounts")
public record AccountProperties(List<User> users, @DefaultValue Jwt jwt) {

    public AccountProperties {
        users = users == null ? List.of() : List.copyOf(users);
    }

    /** A configured account; {@code name} defaults to the username. */
    public record User(String username, String password, String name, String email, List<String> roles) {

        public User {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }

        /** Never the password hash: these objects can end up in logs and failure reports. */
        @Override
        public String toString() {
            return "User[" + username + ", " + roles + "]";
        }
    }

    /**
     * Which claims of a token say who it is. The subject ({@code sub}) is the account's identity;
     * the name falls back to {@code preferred_username}, then to the subject. An address counts
     * only when the token does not say it is unverified ({@code email_verified}, OpenID Connect).
     */
    public record Jwt(
            @DefaultValue("name") String nameClaim,
            @DefaultValue("email") String emailClaim,
            @DefaultValue("roles") String rolesClaim) {
    }
}
