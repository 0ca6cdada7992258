package org.replyensemble.notifications.settings;

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
 * The settings link of every reply email: sealed with the purpose "settings", for one address and
 * one thread (sub = address, post = the post's id). It changes that address's mode for that
 * thread and its global on/off, nothing else; an unsubscribe or confirmation token does not open it.
 */
@Component
public class SettingsTokens {

    private static final String POST = "post";

    /** @param postId the thread the link came from */
    public record Scope(String email, UUID postId) {
    }

    private final SealedTokens tokens;
    private final SettingsProperties properties;

    public SettingsTokens(SealedTokens tokens, SettingsProperties properties) {
        this.tokens = tokens;
        this.properties = properties;
    }

    public String seal(String email, UUID postId) {
        return tokens.seal(TokenPurpose.SETTINGS, Addresses.normalize(email), Map.of(POST, postId.toString()), properties.validity());
    }

    /** @throws InvalidTokenException when the link cannot open anyone's settings */
    public Scope open(String token) {
        JWTClaimsSet claims = tokens.open(token, TokenPurpose.SETTINGS);
        if (!(claims.getClaim(POST) instanceof String post)) {
            throw new InvalidTokenException(Failure.MALFORMED);
        }
        try {
            return new Scope(claims.getSubject(), UUID.fromString(post));
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException(Failure.MALFORMED);
        }
    }
}
