package org.replyensemble.support.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.replyensemble.support.text.ControlCharacters;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;

/**
 * Reads the {@link Account} from a token the resource server already verified (signature, expiry,
 * issuer): the subject is the identity, the name, address and roles come from the configured
 * claims. A provider's roles this system does not know are ignored, so an identity provider shared
 * with other applications can be used as it is.
 */
public final class JwtAccounts implements Converter<Jwt, AbstractAuthenticationToken> {

    static final String ID_PREFIX = "jwt:";
    private static final String EMAIL_VERIFIED = "email_verified";
    private static final String PREFERRED_USERNAME = "preferred_username";

    private final AccountProperties.Jwt claims;

    public JwtAccounts(AccountProperties.Jwt claims) {
        this.claims = claims;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        String subject = jwt.getSubject();
        if (subject == null || subject.isBlank()) {
            throw invalid("The token has no subject (sub)");
        }
        String name = firstText(jwt, claims.nameClaim(), PREFERRED_USERNAME);
        name = name == null ? subject : name.strip();
        if (name.length() > Account.MAX_NAME_LENGTH || ControlCharacters.containsAny(name)) {
            throw invalid("The token's name is not a usable display name (at most " + Account.MAX_NAME_LENGTH
                    + " characters, no control characters)");
        }
        Account account = new Account(ID_PREFIX + subject, name, verifiedAddress(jwt), roles(jwt));
        return new AccountAuthentication(jwt, AccountUser.authorities(account), account);
    }

    /** The address, unless the token says it is unverified or it is not a usable address. */
    private String verifiedAddress(Jwt jwt) {
        String email = firstText(jwt, claims.emailClaim());
        if (email == null || !Account.isValidAddress(email.strip())) {
            return null;
        }
        if (jwt.hasClaim(EMAIL_VERIFIED)) {
            Object verified = jwt.getClaims().get(EMAIL_VERIFIED);
            if (!(Boolean.TRUE.equals(verified) || "true".equals(verified))) {
                return null;
            }
        }
        return email.strip();
    }

    private Set<Role> roles(Jwt jwt) {
        Object value = at(jwt.getClaims(), claims.rolesClaim());
        Collection<?> names;
        if (value instanceof Collection<?> collection) {
            names = collection;
        } else if (value instanceof String text) {
            names = Arrays.asList(text.split("[\\s,]+")); // "author operator", as scope claims are written
        } else {
            names = List.of();
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        names.forEach(name -> Role.parse(String.valueOf(name)).ifPresent(roles::add));
        return roles;
    }

    /** A claim by its dotted path: "realm_access.roles" is the roles list inside the realm_access object. */
    private static Object at(Map<String, Object> claims, String path) {
        Object current = claims;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    private static String firstText(Jwt jwt, String... names) {
        for (String name : names) {
            if (at(jwt.getClaims(), name) instanceof String text && !text.isBlank()) {
                return text;
            }
        }
        return null;
    }

    private static OAuth2AuthenticationException invalid(String description) {
        BearerTokenError error = BearerTokenErrors.invalidToken(description);
        return new OAuth2AuthenticationException(error, description);
    }
}
