package org.replyensemble.notifications.unsubscribe;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param secret   the key the unsubscribe tokens are sealed with (AES-256-GCM, derived by SHA-256); the yml's value is for development
 *                 only: override it in production (NOTIFICATIONS_UNSUBSCRIBE_SECRET)
 * @param validity how long a link in an email keeps working
 */
@ConfigurationProperties("notifications.unsubscribe")
public record UnsubscribeProperties(String secret, @DefaultValue("365d") Duration validity) {

    public UnsubscribeProperties {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("notifications.unsubscribe.secret must be at least 32 bytes");
        }
    }
}
