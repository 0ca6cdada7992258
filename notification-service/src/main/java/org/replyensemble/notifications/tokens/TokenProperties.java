package org.replyensemble.notifications.tokens;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param secrets the keys the links in emails are sealed with, newest first: the first seals new
 *                tokens, every one opens them, so a secret is rotated by putting a new one in front
 *                and removing the old one once its links have expired (365 days for unsubscribe
 *                links). Each at least 32 bytes; every instance the same list
 *                ({@code NOTIFICATIONS_TOKENS_SECRETS=new,old}).
 */
@ConfigurationProperties("notifications.tokens")
public record TokenProperties(List<String> secrets) {

    public TokenProperties {
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
    }
}
