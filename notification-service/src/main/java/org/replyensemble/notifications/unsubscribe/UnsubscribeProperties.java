package org.replyensemble.notifications.unsubscribe;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param validity how long an unsubscribe link in an email keeps working (the keys are
 *                 {@code notifications.tokens.secrets}; the single {@code notifications.unsubscribe.secret}
 *                 of earlier versions is still read when that list is not set)
 */
@ConfigurationProperties("notifications.unsubscribe")
public record UnsubscribeProperties(@DefaultValue("365d") Duration validity) {
}
