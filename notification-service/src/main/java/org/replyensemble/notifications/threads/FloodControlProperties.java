package org.replyensemble.notifications.threads;

import java.time.Duration;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled          false: one email per recipient per comment, as the rules give it
 * @param updatesPerWindow thread updates (not direct replies) one recipient gets at once per thread
 *                         and window; the rest of the window's are folded into one summary
 * @param window           how long a window lasts from its first update; its summary is sent when it closes
 * @param listedPerSummary how many of the comments a summary carries its email lists (the latest ones);
 *                         it gives the count of the others and a link to the first, so a viral thread's
 *                         summary of hundreds of replies stays an email a person reads
 */
@ConfigurationProperties("notifications.flood-control")
public record FloodControlProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("3") int updatesPerWindow,
        @DefaultValue("10m") Duration window,
        @DefaultValue("20") int listedPerSummary) {

    public FloodControlProperties {
        if (listedPerSummary < 1) {
            throw new IllegalArgumentException("notifications.flood-control.listed-per-summary must be at least 1, was "
                    + listedPerSummary);
        }
    }

    public FloodControl rule() {
        return new FloodControl(updatesPerWindow, window);
    }

    /** The rule in a reader's words (the settings page); empty when flood control is off. */
    public Optional<String> inReadersWords() {
        if (!enabled) {
            return Optional.empty();
        }
        String period = inWords(window);
        return Optional.of("When this thread gets busy, you get at most " + updatesPerWindow + " of its new replies in "
                + period + "; the rest come together in one summary email when those " + period
                + " are over. Replies to your own comments always come at once.");
    }

    private static String inWords(Duration duration) {
        if (duration.toSecondsPart() != 0 || duration.toMinutes() == 0) {
            return plural(duration.toSeconds(), "second");
        }
        if (duration.toMinutesPart() != 0 || duration.toHours() == 0) {
            return plural(duration.toMinutes(), "minute");
        }
        return plural(duration.toHours(), "hour");
    }

    private static String plural(long count, String unit) {
        return count == 1 ? "one " + unit : count + " " + unit + "s";
    }
}
