package org.replyensemble.notifications.settings;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param validity how long the settings link of an email keeps working (as long as its unsubscribe links by default) */
@ConfigurationProperties("notifications.settings")
public record SettingsProperties(@DefaultValue("365d") Duration validity) {
}
