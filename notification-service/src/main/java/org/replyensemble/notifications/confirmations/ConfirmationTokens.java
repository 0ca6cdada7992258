package org.replyensemble.notifications.confirmations;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jwt.JWTClaimsSet;
import org.replyensemble.notifications.addresses.Addresses;
import org.replyensemble.notifications.tokens.InvalidTokenException;
import org.replyensemble.notifications.tokens.SealedTokens;
import org.replyensemble.notifications.tokens.TokenPurpose;
import org.springframework.stereotype.Component;

/**
 * The token in a confirmation email's link (purpose "confirm"): the address, the name the comment
 * that asked gave (recorded as the greeting name when the owner confirms), and its post.
 */
@Component
public class ConfirmationTokens {

    private static final String NAME = "name";
    private static final String POST = "post";

    /** What a confirmation link carries. */
    public record Request(String email, String name, UUID postId) {
    }

    private final SealedTokens tokens;
    private final ConfirmationProperties properties;

    ConfirmationTokens(SealedTokens tokens, ConfirmationProperties properties) {
        this.tokens = tokens;
        this.properties = properties;
    }

    public String seal(String email, String name, UUID postId) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put(NAME, name);
        if (postId != null) {
            claims.put(POST, postId.toString());
        }
        return tokens.seal(TokenPurpose.CONFIRM, Addresses.normalize(email), claims, properties.validity());
    }

    /** @throws InvalidTokenException when the link cannot confirm anything */
    public Request open(String token) {
        JWTClaimsSet claims = tokens.open(token, TokenPurpose.CONFIRM);
        Object name = claims.getClaim(NAME);
        UUID postId = null;
        if (claims.getClaim(POST) instanceof String post) {
            try {
                postId = UUID.fromString(post);
            } catch (IllegalArgumentException e) {
                throw new InvalidTokenException(InvalidTokenException.Failure.MALFORMED);
            }
        }
        return new Request(claims.getSubject(), name instanceof String text ? text : null, postId);
    }

    public Duration validity() {
        return properties.validity();
    }
}
