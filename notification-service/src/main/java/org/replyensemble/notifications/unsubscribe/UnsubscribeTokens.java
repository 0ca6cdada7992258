package org.replyensemble.notifications.unsubscribe;

import java.util.Map;
import java.util.UUID;

import com.nimbusds.jwt.JWTClaimsSet;
import org.replyensemble.notifications.addresses.Addresses;
import org.replyensemble.notifications.tokens.InvalidTokenException;
import org.replyensemble.notifications.tokens.InvalidTokenException.Failure;
import org.replyensemble.notifications.tokens.SealedTokens;
import org.replyensemble.notifications.tokens.TokenPurpose;
import org.springframework.stereotype.Component;

/**
 * Scoped unsubscribe tokens (sub = address, scope = post id or "all"), sealed by {@link SealedTokens}
 * with the purpose "unsubscribe". The scope keeps a per-thread link from stopping everything.
 */
@Component
public class UnsubscribeTokens {

    static final String ALL = "all";
    private static final String SCOPE = "scope";

    private final SealedTokens tokens;
    private final UnsubscribeProperties properties;

    public UnsubscribeTokens(SealedTokens tokens, UnsubscribeProperties properties) {
        this.tokens = tokens;
        this.properties = properties;
    }

    public String sign(UnsubscribeScope scope) {
        return tokens.seal(TokenPurpose.UNSUBSCRIBE, Addresses.normalize(scope.email()),
                Map.of(SCOPE, scope.isEverything() ? ALL : scope.postId().toString()), properties.validity());
    }

    /** @throws InvalidTokenException when the link cannot unsubscribe anyone */
    public UnsubscribeScope verify(String token) {
        JWTClaimsSet claims = tokens.open(token, TokenPurpose.UNSUBSCRIBE);
        if (!(claims.getClaim(SCOPE) instanceof String scope)) {
            throw new InvalidTokenException(Failure.MALFORMED);
        }
        if (ALL.equals(scope)) {
            return UnsubscribeScope.everything(claims.getSubject());
        }
        try {
            return UnsubscribeScope.thread(claims.getSubject(), UUID.fromString(scope));
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException(Failure.MALFORMED);
        }
    }
}
