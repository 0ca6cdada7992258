package org.replyensemble.notifications.unsubscribe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import org.replyensemble.notifications.addresses.Addresses;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Sealed, scoped unsubscribe tokens: JWTs (sub = address, scope = post id or "all", exp)
 * encrypted with AES-256-GCM under a key derived from the configured secret (JWE "dir").
 * GCM authenticates as well as hides: a changed token does not decrypt, which is what lets a
 * link in an email act for a person without a login; and the address inside stays unreadable in
 * URLs, access logs and referrers (a signed-only JWT would carry it in plain base64). The scope
 * keeps a per-thread link from stopping everything.
 */
@Component
public class UnsubscribeTokens {

    static final String ALL = "all";
    private static final String SCOPE = "scope";

    private static final JWEHeader HEADER = new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM);

    private final SecretKey key;
    private final UnsubscribeProperties properties;
    private final Clock clock;

    @Autowired
    public UnsubscribeTokens(UnsubscribeProperties properties) {
        this(properties, Clock.systemUTC());
    }

    UnsubscribeTokens(UnsubscribeProperties properties, Clock clock) {
        this.key = keyFrom(properties.secret());
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
        EncryptedJWT jwt = new EncryptedJWT(HEADER, claims);
        try {
            jwt.encrypt(new DirectEncrypter(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not seal an unsubscribe token", e);
        }
        return jwt.serialize();
    }

    public UnsubscribeScope verify(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidUnsubscribeTokenException("The unsubscribe link has no token.");
        }
        EncryptedJWT jwt;
        try {
            jwt = EncryptedJWT.parse(token.strip());
        } catch (ParseException e) {
            throw new InvalidUnsubscribeTokenException("The unsubscribe link is malformed (was it cut off?).");
        }
        JWTClaimsSet claims = opened(jwt);
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

    private JWTClaimsSet opened(EncryptedJWT jwt) {
        if (!HEADER.getAlgorithm().equals(jwt.getHeader().getAlgorithm())
                || !HEADER.getEncryptionMethod().equals(jwt.getHeader().getEncryptionMethod())) {
            throw new InvalidUnsubscribeTokenException("The unsubscribe link is not valid: its signature does not match.");
        }
        try {
            jwt.decrypt(new DirectDecrypter(key));
            return jwt.getJWTClaimsSet();
        } catch (JOSEException | ParseException | IllegalStateException e) {
            throw new InvalidUnsubscribeTokenException("The unsubscribe link is not valid: its signature does not match.");
        }
    }

    /** AES-256 wants exactly 32 bytes; the configured secret is any string of 32 bytes or more. */
    private static SecretKey keyFrom(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return new SecretKeySpec(digest, "AES");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
