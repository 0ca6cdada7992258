package org.replyensemble.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * A stand-in for the operator's identity provider: signs RS256 tokens with its own RSA key, whose
 * public half a service reads from {@link #publicKeyLocation()}
 * ({@code spring.security.oauth2.resourceserver.jwt.public-key-location}). The service verifies
 * every token with its real decoder, as it would a provider's; nothing is mocked. One key per test
 * JVM ({@link #shared()}), so every context that trusts it is the same cached context.
 */
public final class TestIssuer {

    public static final String ISSUER = "https://issuer.test.replyensemble.org";
    private static TestIssuer shared;

    private final KeyPair keys;
    private final Path publicKeyFile;

    private TestIssuer() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
            publicKeyFile = Files.createTempFile("test-issuer-", ".pub.pem");
            publicKeyFile.toFile().deleteOnExit();
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            Files.writeString(publicKeyFile, pem, StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has RSA", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test issuer's public key", e);
        }
    }

    public static synchronized TestIssuer shared() {
        if (shared == null) {
            shared = new TestIssuer();
        }
        return shared;
    }

    /** For {@code spring.security.oauth2.resourceserver.jwt.public-key-location}. */
    public String publicKeyLocation() {
        return publicKeyFile.toUri().toString();
    }

    /** A token valid for an hour for an account with a verified address and these roles. */
    public String token(String subject, String name, String email, String... roles) {
        return token(Map.of("sub", subject, "name", name, "email", email, "email_verified", true, "roles", List.of(roles)),
                Duration.ofHours(1));
    }

    /** A token with exactly these claims (besides iss, iat and exp), valid for {@code validity} (negative: expired). */
    public String token(Map<String, Object> claims, Duration validity) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder().issuer(ISSUER)
                .issueTime(Date.from(now.minusSeconds(validity.isNegative() ? 7200 : 0)))
                .expirationTime(Date.from(now.plus(validity)));
        claims.forEach(set::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("test").build(), set.build());
        try {
            jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a test token", e);
        }
        return jwt.serialize();
    }

    /** The value of an {@code Authorization} header carrying {@code token}. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
