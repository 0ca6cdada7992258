package org.replyensemble.comments.comments;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret that proves a request comes from a comment's author: 256 random bits, returned once
 * in the answer to the post (the reply form keeps it in a cookie), never derivable from anything
 * public. Only its SHA-256 is stored: with that much randomness a fast hash cannot be reversed by
 * guessing, so neither a salt nor a slow hash is needed, and a leaked table proves nothing.
 */
final class AuthorSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BYTES = 32;

    private AuthorSecrets() {
    }

    static String newSecret() {
        byte[] secret = new byte[BYTES];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Constant time in the stored hash: a wrong secret takes as long whichever byte differs. */
    static boolean matches(String given, byte[] storedHash) {
        if (given == null || given.isBlank() || storedHash == null || given.length() > 100) {
            return false;
        }
        return MessageDigest.isEqual(hash(given.strip()), storedHash);
    }
}
