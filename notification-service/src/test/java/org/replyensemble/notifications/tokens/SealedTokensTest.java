package org.replyensemble.notifications.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;
import org.replyensemble.notifications.tokens.InvalidTokenException.Failure;

class SealedTokensTest {

    private static final String OLD = "the-secret-of-last-year-long-enough-for-aes-256";
    private static final String NEW = "the-secret-of-this-year-long-enough-for-aes-256";
    private static final Instant NOW = Instant.parse("2026-01-10T10:00:00Z");

    private static SealedTokens tokens(Instant now, String... secrets) {
        return new SealedTokens(TokenKeys.from(List.of(secrets), null, false), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static String seal(SealedTokens tokens, TokenPurpose purpose) {
        return tokens.seal(purpose, "ann@example.org", Map.of("scope", "all"), Duration.ofDays(7));
    }

    @Test
    void aTokenOpensForItsPurposeOnly() {
        SealedTokens tokens = tokens(NOW, NEW);
        String unsubscribe = seal(tokens, TokenPurpose.UNSUBSCRIBE);
        String confirm = seal(tokens, TokenPurpose.CONFIRM);

        JWTClaimsSet claims = tokens.open(unsubscribe, TokenPurpose.UNSUBSCRIBE);
        assertThat(claims.getSubject()).isEqualTo("ann@example.org");
        assertThat(claims.getClaim("scope")).isEqualTo("all");
        assertThat(tokens.open(confirm, TokenPurpose.CONFIRM).getSubject()).isEqualTo("ann@example.org");
        assertFails(() -> tokens.open(unsubscribe, TokenPurpose.CONFIRM), Failure.WRONG_PURPOSE);
        assertFails(() -> tokens.open(confirm, TokenPurpose.UNSUBSCRIBE), Failure.WRONG_PURPOSE);
        assertFails(() -> tokens.open(confirm, TokenPurpose.SETTINGS), Failure.WRONG_PURPOSE);
    }

    @Test
    void theKeyIdIsInTheHeaderAndTheAddressIsNowhereToBeRead() throws Exception {
        SealedTokens tokens = tokens(NOW, NEW, OLD);
        String token = seal(tokens, TokenPurpose.UNSUBSCRIBE);

        assertThat(EncryptedJWT.parse(token).getHeader().getKeyID()).isEqualTo(TokenKeys.key(NEW).id());
        for (String part : token.split("\\.")) {
            String decoded = new String(Base64.getUrlDecoder().decode(part), StandardCharsets.ISO_8859_1);
            assertThat(decoded).doesNotContain("ann@example.org").doesNotContain("unsubscribe");
        }
    }

    /** The format every mailed link carries, which a later version must keep opening: a standard dir + A256GCM JWE. */
    @Test
    void whatIsSealedIsAStandardDirA256GcmJwe() throws Exception {
        SealedTokens tokens = tokens(NOW, NEW);
        String token = seal(tokens, TokenPurpose.SETTINGS);

        EncryptedJWT jwt = EncryptedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWEAlgorithm.DIR);
        assertThat(jwt.getHeader().getEncryptionMethod()).isEqualTo(EncryptionMethod.A256GCM);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(TokenKeys.key(NEW).id());
        assertThat(jwt.getEncryptedKey()).isNull();
        assertThat(jwt.getIV().decode()).hasSize(12);
        assertThat(jwt.getAuthTag().decode()).hasSize(16);
        jwt.decrypt(new DirectDecrypter(TokenKeys.key(NEW).secret()));
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("ann@example.org");
        assertThat(claims.getClaim(SealedTokens.PURPOSE)).isEqualTo(TokenPurpose.SETTINGS.claim());
        assertThat(claims.getClaim("scope")).isEqualTo("all");
        assertThat(claims.getIssueTime()).isEqualTo(Date.from(NOW));
        assertThat(claims.getExpirationTime()).isEqualTo(Date.from(NOW.plus(Duration.ofDays(7))));

        // a fresh IV each time: the same claims never give the same token
        assertThat(seal(tokens, TokenPurpose.SETTINGS)).isNotEqualTo(token);
    }

    @Test
    void aRotatedSecretKeepsItsLinksWorkingUntilItIsRemoved() {
        String sealedLastYear = seal(tokens(NOW, OLD), TokenPurpose.UNSUBSCRIBE);

        // The new secret in front: new links use it, last year's links still open.
        SealedTokens rotated = tokens(NOW, NEW, OLD);
        assertThat(rotated.open(sealedLastYear, TokenPurpose.UNSUBSCRIBE).getSubject()).isEqualTo("ann@example.org");
        String sealedNow = seal(rotated, TokenPurpose.UNSUBSCRIBE);
        assertThat(tokens(NOW, NEW).open(sealedNow, TokenPurpose.UNSUBSCRIBE).getSubject()).isEqualTo("ann@example.org");

        // The old secret removed: its links stop working.
        assertFails(() -> tokens(NOW, NEW).open(sealedLastYear, TokenPurpose.UNSUBSCRIBE), Failure.NOT_AUTHENTIC);
    }

    /** Links mailed before key ids existed: no kid, no purpose; they open with any configured key, to unsubscribe only. */
    @Test
    void aLinkMailedBeforeKeyIdsStillUnsubscribesWhileItsSecretIsConfigured() throws Exception {
        String legacy = legacyToken(OLD, NOW.plus(Duration.ofDays(365)));

        assertThat(tokens(NOW, NEW, OLD).open(legacy, TokenPurpose.UNSUBSCRIBE).getClaim("scope")).isEqualTo("all");
        assertFails(() -> tokens(NOW, NEW, OLD).open(legacy, TokenPurpose.CONFIRM), Failure.WRONG_PURPOSE);
        assertFails(() -> tokens(NOW, NEW).open(legacy, TokenPurpose.UNSUBSCRIBE), Failure.NOT_AUTHENTIC);
    }

    @Test
    void anExpiredTokenIsRefused() {
        String token = seal(tokens(NOW, NEW), TokenPurpose.CONFIRM);

        assertThat(tokens(NOW.plus(Duration.ofDays(6)), NEW).open(token, TokenPurpose.CONFIRM)).isNotNull();
        assertFails(() -> tokens(NOW.plus(Duration.ofDays(7)), NEW).open(token, TokenPurpose.CONFIRM), Failure.EXPIRED);
    }

    @Test
    void aTamperedTokenIsRefused() {
        SealedTokens tokens = tokens(NOW, NEW);
        String[] parts = seal(tokens, TokenPurpose.UNSUBSCRIBE).split("\\.");
        char[] ciphertext = parts[3].toCharArray();
        ciphertext[0] = ciphertext[0] == 'A' ? 'B' : 'A';
        parts[3] = new String(ciphertext);

        assertFails(() -> tokens.open(String.join(".", parts), TokenPurpose.UNSUBSCRIBE), Failure.NOT_AUTHENTIC);
    }

    /** Forged: sealed by someone without our secret, with a key id of ours or none, or with the public development secret. */
    @Test
    void aForgedTokenIsRefused() throws Exception {
        SealedTokens ours = tokens(NOW, NEW);
        String withAnotherKey = seal(tokens(NOW, "an-attackers-own-secret-that-is-long-enough"), TokenPurpose.UNSUBSCRIBE);
        assertFails(() -> ours.open(withAnotherKey, TokenPurpose.UNSUBSCRIBE), Failure.NOT_AUTHENTIC);

        String withOurKeyIdButNotOurKey = forged(TokenKeys.key(NEW).id(), "an-attackers-own-secret-that-is-long-enough");
        assertFails(() -> ours.open(withOurKeyIdButNotOurKey, TokenPurpose.UNSUBSCRIBE), Failure.NOT_AUTHENTIC);

        String withTheDevelopmentSecret = legacyToken(TokenKeys.DEVELOPMENT_SECRET, NOW.plus(Duration.ofDays(1)));
        assertFails(() -> ours.open(withTheDevelopmentSecret, TokenPurpose.UNSUBSCRIBE), Failure.NOT_AUTHENTIC);
    }

    @Test
    void somethingThatIsNoTokenIsRefused() {
        SealedTokens tokens = tokens(NOW, NEW);
        assertFails(() -> tokens.open(null, TokenPurpose.UNSUBSCRIBE), Failure.MISSING);
        assertFails(() -> tokens.open(" ", TokenPurpose.UNSUBSCRIBE), Failure.MISSING);
        assertFails(() -> tokens.open("not-a-token", TokenPurpose.UNSUBSCRIBE), Failure.MALFORMED);
        assertFails(() -> tokens.open("a".repeat(SealedTokens.MAX_LENGTH + 1), TokenPurpose.UNSUBSCRIBE), Failure.MALFORMED);
    }

    /** As the unsubscribe tokens were sealed before key ids and purposes: SHA-256 of the secret, no kid, no purpose. */
    private static String legacyToken(String secret, Instant expires) throws Exception {
        EncryptedJWT jwt = new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), new JWTClaimsSet.Builder()
                .subject("ann@example.org").claim("scope", "all").expirationTime(Date.from(expires)).build());
        jwt.encrypt(new DirectEncrypter(aesKey(secret)));
        return jwt.serialize();
    }

    private static String forged(String keyId, String secret) throws Exception {
        EncryptedJWT jwt = new EncryptedJWT(new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM).keyID(keyId).build(),
                new JWTClaimsSet.Builder().subject("ann@example.org").claim("purpose", "unsubscribe").claim("scope", "all")
                        .expirationTime(Date.from(NOW.plus(Duration.ofDays(1)))).build());
        jwt.encrypt(new DirectEncrypter(aesKey(secret)));
        return jwt.serialize();
    }

    private static SecretKeySpec aesKey(String secret) throws Exception {
        return new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)), "AES");
    }

    private static void assertFails(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Failure failure) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.failure()).isEqualTo(failure));
    }
}
