package org.replyensemble.notifications.unsubscribe;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.replyensemble.notifications.addresses.Addresses;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Signed, scoped unsubscribe tokens (HS256 JWTs: sub = address, scope = post id or "all", exp).
 * The signature is what lets a link in an email act for a person without a login; the scope keeps
 * a per-thread link from stopping everything.
 */
@Component
public class UnsubscribeTokens {

    static final String ALL = "all";
    private static final String SCOPE = "scope";

    private final byte[] secret;
    private final UnsubscribeProperties properties;
    private final Clock clock;

    @Autowired
    public UnsubscribeTokens(UnsubscribeProperties properties) {
        this(properties, Clock.systemUTC());
    }

    UnsubscribeTokens(UnsubscribeProperties properties, Clock clock) {
        this.secret = properties.secret().getBytes(StandardCharsets.UTF_8);
        this.properties = properties;
        this.clock = clock;
    }

    public String sign(UnsubscribeScope scope) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(Addresses.normalize(scope.email()))
                .claim(SCOPE, scope.isEverything() ? ALL : scope.postId().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(properties.validity())))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign an unsubscribe token", e);
        }
        return jwt.serialize();
    }

    public UnsubscribeScope verify(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidUnsubscribeTokenException("The unsubscribe link has no token.");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token.strip());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidUnsubscribeTokenException("The unsubscribe link is malformed (was it cut off?).");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !verified(jwt)) {
            throw new InvalidUnsubscribeTokenException("The unsubscribe link is not valid: its signature does not match.");
        }
        Date expires = claims.getExpirationTime();
        if (expires == null || !expires.toInstant().isAfter(clock.instant())) {
            throw new InvalidUnsubscribeTokenException("The unsubscribe link has expired; use the link in a newer email.");
        }
        Object scope = claims.getClaim(SCOPE);
        String email = claims.getSubject();
        if (email == null || email.isBlank() || !(scope instanceof String scopeText)) {
            throw new InvalidUnsubscribeTokenException("The unsubscribe link is malformed.");
        }
        if (ALL.equals(scopeText)) {
            return UnsubscribeScope.everything(email);
        }
        try {
            return UnsubscribeScope.thread(email, UUID.fromString(scopeText));
        } catch (IllegalArgumentException e) {
            throw new InvalidUnsubscribeTokenException("The unsubscribe link is malformed.");
        }
    }

    private boolean verified(SignedJWT jwt) {
        try {
            return jwt.verify(new MACVerifier(secret));
        } catch (JOSEException e) {
            return false;
        }
    }
}
