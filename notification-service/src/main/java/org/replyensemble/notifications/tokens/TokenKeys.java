package org.replyensemble.notifications.tokens;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys links are sealed with: the first seals, all open. Built once at start-up, where it
 * refuses what would let anyone on the internet forge links: no secret at all, a short one, or a
 * secret that was ever published with this project (the development value, the old compose
 * default), unless {@code ensemble.development-mode} says this is a developer's machine.
 *
 * <p>Each key's id (the JWE {@code kid} header) is derived from the key itself (a truncated
 * HMAC-SHA256 of a fixed label under the key), so operators list secrets and never ids: an id
 * cannot be reused for another secret by mistake, and it tells nothing about the key that a
 * sealed token does not already show.
 */
public final class TokenKeys {

    /** The development secret: public (it is in this repository), so it works only in development mode. */
    public static final String DEVELOPMENT_SECRET = "dev-only-unsubscribe-secret-change-me-0123456789";
    /** Every secret this project ever shipped as a default: each is public, none may seal a production link. */
    static final Set<String> PUBLISHED_SECRETS = Set.of(DEVELOPMENT_SECRET, "compose-only-secret-set-your-own-0123456789");
    static final int MIN_SECRET_BYTES = 32;
    private static final byte[] KEY_ID_LABEL = "reply-ensemble token key id".getBytes(StandardCharsets.UTF_8);

    public record Key(String id, SecretKey secret) {
    }

    private final List<Key> keys;
    private final Map<String, Key> byId;
    private final boolean development;

    private TokenKeys(List<Key> keys, boolean development) {
        this.keys = List.copyOf(keys);
        this.byId = new LinkedHashMap<>();
        keys.forEach(key -> byId.putIfAbsent(key.id(), key));
        this.development = development;
    }

    /**
     * @param secrets         {@code notifications.tokens.secrets}, newest first
     * @param legacySecret    {@code notifications.unsubscribe.secret}, the single secret of earlier
     *                        versions: used when no list is set, so an upgrade keeps its links working
     * @param developmentMode {@code ensemble.development-mode}
     * @throws IllegalStateException with what to set, when the keys would not be safe in production
     */
    public static TokenKeys from(List<String> secrets, String legacySecret, boolean developmentMode) {
        List<String> configured = new ArrayList<>();
        (secrets == null ? List.<String>of() : secrets).stream()
                .filter(s -> s != null && !s.isBlank()).map(String::strip).forEach(configured::add);
        if (configured.isEmpty() && legacySecret != null && !legacySecret.isBlank()) {
            configured.add(legacySecret.strip());
        }
        boolean development = false;
        if (configured.isEmpty()) {
            if (!developmentMode) {
                throw new IllegalStateException("No secret for the links in emails: set notifications.tokens.secrets "
                        + "(NOTIFICATIONS_TOKENS_SECRETS, " + MIN_SECRET_BYTES + " bytes or more, e.g. the output of "
                        + "`openssl rand -base64 48`, the same on every instance), or ensemble.development-mode=true "
                        + "on a developer's machine");
            }
            configured.add(DEVELOPMENT_SECRET);
            development = true;
        }
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            String secret = configured.get(i);
            if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
                throw new IllegalStateException("Token secret number " + (i + 1) + " is shorter than " + MIN_SECRET_BYTES
                        + " bytes: use a long random value (e.g. `openssl rand -base64 48`)");
            }
            if (PUBLISHED_SECRETS.contains(secret)) {
                if (!developmentMode) {
                    throw new IllegalStateException("Token secret number " + (i + 1) + " is a published default of this "
                            + "project: anyone could forge links with it. Set your own in notifications.tokens.secrets "
                            + "(NOTIFICATIONS_TOKENS_SECRETS); only ensemble.development-mode=true accepts it");
                }
                development = true;
            }
            keys.add(key(secret));
        }
        return new TokenKeys(keys, development);
    }

    /** Derives the AES-256 key as earlier versions did (SHA-256 of the secret): their links keep opening. */
    static Key key(String secret) {
        try {
            byte[] aes = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            SecretKey key = new SecretKeySpec(aes, "AES");
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(aes, "HmacSHA256"));
            byte[] id = Arrays.copyOf(mac.doFinal(KEY_ID_LABEL), 9);
            return new Key(Base64.getUrlEncoder().withoutPadding().encodeToString(id), key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 and HmacSHA256 are part of every JDK", e);
        }
    }

    /** The key new tokens are sealed with. */
    public Key sealing() {
        return keys.get(0);
    }

    public Optional<Key> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every key, newest first: tokens sealed before key ids existed carry none and are tried against each. */
    public List<Key> all() {
        return keys;
    }

    /** True when a published development secret is in use (allowed only in development mode). */
    public boolean development() {
        return development;
    }
}
