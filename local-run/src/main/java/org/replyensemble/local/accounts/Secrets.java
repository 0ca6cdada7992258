package org.replyensemble.local.accounts;

import java.security.SecureRandom;
import java.util.Base64;

/** Random secrets for one local run: URL-safe, so they can be typed into curl or a browser unquoted. */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    public static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
