package org.replyensemble.notifications.threads;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled          false: one email per recipient per comment, as the rules give it
 * @param updatesPerWindow thread updates (not direct replies) one recipient gets at once per thread
 *                         and window; the rest of the window's are folded into one summary
 * @param window           how long a window lasts from its first update; its summary is sent when it closes
 */
@ConfigurationProperties("notifications.flood-control")
public record FloodControlProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("3") int updatesPerWindow,
        @DefaultValue("10m") Duration window) {

    public FloodControl rule() {
        return new FloodControl(updatesPerWindow, window);
    }
}
