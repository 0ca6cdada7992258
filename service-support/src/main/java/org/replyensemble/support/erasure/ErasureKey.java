package org.replyensemble.support.erasure;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed one-way hash of an erased address (HMAC-SHA256, hex): the key of its record on
 * {@code blog.erasures.v1} and what notification-service keeps on its suppression list. Keyed, not
 * a bare SHA-256: anyone can hash a list of known addresses and compare, but only holders of the
 * key can tell which address a subject belongs to. post-service and notification-service share the
 * key ({@code ensemble.erasure.key}, ENSEMBLE_ERASURE_KEY); it never changes, or the suppression
 * list stops matching (a new key means re-hashing nothing: the list is one-way, so keep the key).
 *
 * <p>Like the token secrets, no default works outside a developer's machine: without a key (or
 * with the published development one) the service refuses to start unless
 * {@code ensemble.development-mode} is true.
 */
public final class ErasureKey {

    /** Public (it is in this repository): accepted only in development mode. */
    public static final String DEVELOPMENT_KEY = "dev-only-erasure-key-change-me-0123456789abcdef";
    static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec key;

    private ErasureKey(String key) {
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * @throws IllegalStateException with what to set, when the key would not be safe in production
     */
    public static ErasureKey from(String configured, boolean developmentMode) {
        String key = configured == null ? "" : configured.strip();
        if (key.isEmpty()) {
            if (!developmentMode) {
                throw new IllegalStateException("No key for the erasure hashes: set ensemble.erasure.key (ENSEMBLE_ERASURE_KEY, "
                        + MIN_KEY_BYTES + " bytes or more, e.g. `openssl rand -base64 48`, the same in post-service and "
                        + "notification-service, never changed), or ensemble.development-mode=true on a developer's machine");
            }
            return new ErasureKey(DEVELOPMENT_KEY);
        }
        if (key.getBytes(StandardCharsets.UTF_8).length < MIN_KEY_BYTES) {
            throw new IllegalStateException("ensemble.erasure.key is shorter than " + MIN_KEY_BYTES + " bytes");
        }
        if (Set.of(DEVELOPMENT_KEY).contains(key) && !developmentMode) {
            throw new IllegalStateException("ensemble.erasure.key is the published development key: set your own "
                    + "(ENSEMBLE_ERASURE_KEY); only ensemble.development-mode=true accepts it");
        }
        return new ErasureKey(key);
    }

    /** The subject of an address: its HMAC after the normalization every service applies (trimmed, lower-case). */
    public String subject(String address) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(normalize(address).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    public static String normalize(String address) {
        return address == null ? "" : address.strip().toLowerCase(Locale.ROOT);
    }
}
