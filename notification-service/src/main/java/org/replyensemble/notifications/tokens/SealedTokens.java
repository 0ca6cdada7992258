package org.replyensemble.notifications.tokens;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import org.replyensemble.notifications.tokens.InvalidTokenException.Failure;

/**
 * The tokens in the links of every email: JWTs encrypted with AES-256-GCM (JWE {@code dir}) under
 * the first of the configured {@link TokenKeys}, with the key's id in the {@code kid} header and a
 * {@code purpose} claim. GCM authenticates as well as hides: a changed or forged token does not
 * decrypt, which is what lets a link act for a person without a login, and the address inside
 * stays unreadable in URLs, access logs and referrers.
 *
 * <p>Tokens sealed before key ids and purposes existed (the unsubscribe links already mailed)
 * carry neither: they are tried against every configured key and can only unsubscribe.
 */
public class SealedTokens {

    public static final String PURPOSE = "purpose";
    /** Far longer than any token we seal (about 400 characters); a longer one is not ours. */
    static final int MAX_LENGTH = 4096;

    private final TokenKeys keys;
    private final Clock clock;

    public SealedTokens(TokenKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** Seals {@code subject} (a normalized address) with the purpose and extra claims, valid for {@code validity}. */
    public String seal(TokenPurpose purpose, String subject, Map<String, Object> claims, Duration validity) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .subject(subject)
                .claim(PURPOSE, purpose.claim())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(validity)));
        claims.forEach(builder::claim);
        TokenKeys.Key key = keys.sealing();
        EncryptedJWT jwt = new EncryptedJWT(new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                .keyID(key.id()).build(), builder.build());
        try {
            jwt.encrypt(new DirectEncrypter(key.secret()));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not seal a token", e);
        }
        return jwt.serialize();
    }

    /**
     * Opens a token made for {@code purpose}.
     *
     * @return its claims, the subject among them (never blank)
     * @throws InvalidTokenException saying why it cannot be used
     */
    public JWTClaimsSet open(String token, TokenPurpose purpose) {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException(Failure.MISSING);
        }
        if (token.length() > MAX_LENGTH) {
            throw new InvalidTokenException(Failure.MALFORMED);
        }
        EncryptedJWT jwt;
        try {
            jwt = EncryptedJWT.parse(token.strip());
        } catch (ParseException e) {
            throw new InvalidTokenException(Failure.MALFORMED);
        }
        JWEHeader header = jwt.getHeader();
        if (!JWEAlgorithm.DIR.equals(header.getAlgorithm()) || !EncryptionMethod.A256GCM.equals(header.getEncryptionMethod())) {
            throw new InvalidTokenException(Failure.NOT_AUTHENTIC);
        }
        boolean legacy = header.getKeyID() == null;
        JWTClaimsSet claims = legacy ? openWithAnyKey(token) : openWith(jwt, keys.byId(header.getKeyID())
                .orElseThrow(() -> new InvalidTokenException(Failure.NOT_AUTHENTIC)));
        Object claimed = claims.getClaim(PURPOSE);
        String tokenPurpose = claimed instanceof String text ? text : legacy && claimed == null ? TokenPurpose.UNSUBSCRIBE.claim() : null;
        if (tokenPurpose == null) {
            throw new InvalidTokenException(Failure.MALFORMED);
        }
        if (!purpose.claim().equals(tokenPurpose)) {
            throw new InvalidTokenException(Failure.WRONG_PURPOSE);
        }
        Date expires = claims.getExpirationTime();
        if (expires == null || !expires.toInstant().isAfter(clock.instant())) {
            throw new InvalidTokenException(Failure.EXPIRED);
        }
        if (claims.getSubject() == null || claims.getSubject().isBlank()) {
            throw new InvalidTokenException(Failure.MALFORMED);
        }
        return claims;
    }

    private JWTClaimsSet openWithAnyKey(String token) {
        for (TokenKeys.Key key : keys.all()) {
            try {
                // A fresh parse per key: a failed decryption leaves the object in a state that refuses another try.
                return openWith(EncryptedJWT.parse(token.strip()), key);
            } catch (InvalidTokenException | ParseException e) {
                // the next key, perhaps
            }
        }
        throw new InvalidTokenException(Failure.NOT_AUTHENTIC);
    }

    private static JWTClaimsSet openWith(EncryptedJWT jwt, TokenKeys.Key key) {
        try {
            jwt.decrypt(new DirectDecrypter(key.secret()));
            return jwt.getJWTClaimsSet();
        } catch (JOSEException | ParseException | IllegalStateException e) {
            throw new InvalidTokenException(Failure.NOT_AUTHENTIC);
        }
    }
}
