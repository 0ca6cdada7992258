package org.replyensemble.comments.pages;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * A moment as the pages show it: relative ("3 hours ago", computed here, so the page needs no
 * script) with the absolute time beside it in UTC and machine-readable in {@code <time datetime>}.
 * Written by hand: java.time has no "ago" wording, and these dozen lines are the whole need.
 */
public final class Times {

    private static final DateTimeFormatter ABSOLUTE = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    public record Moment(String iso, String absolute, String relative) {
    }

    private Times() {
    }

    static Moment of(Instant moment, Instant now) {
        if (moment == null) {
            return null;
        }
        return new Moment(moment.truncatedTo(ChronoUnit.SECONDS).toString(), ABSOLUTE.format(moment), relative(moment, now));
    }

    static String relative(Instant moment, Instant now) {
        Duration ago = Duration.between(moment, now);
        if (ago.isNegative() || ago.toSeconds() < 60) {
            return "just now";
        }
        if (ago.toMinutes() < 60) {
            return plural(ago.toMinutes(), "minute");
        }
        if (ago.toHours() < 24) {
            return plural(ago.toHours(), "hour");
        }
        long days = ago.toDays();
        if (days == 1) {
            return "yesterday";
        }
        if (days < 31) {
            return plural(days, "day");
        }
        if (days < 365) {
            return plural(days / 30, "month");
        }
        return plural(days / 365, "year");
    }

    private static String plural(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s") + " ago";
    }
}
