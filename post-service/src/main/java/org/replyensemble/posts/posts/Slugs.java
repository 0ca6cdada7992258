package org.replyensemble.posts.posts;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules for a post's slug, the readable part of its address. */
final class Slugs {

    static final int MAX_LENGTH = 120;
    static final String VALID_PATTERN = "[a-z0-9-]{1," + MAX_LENGTH + "}";
    /** For a title with no letter or digit left after folding (all CJK, emoji...). */
    static final String FALLBACK = "post";

    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_SLUG = Pattern.compile("[^a-z0-9]+");

    private Slugs() {
    }

    static boolean isValid(String slug) {
        return slug != null && slug.matches(VALID_PATTERN);
    }

    /** "Crème Brûlée: 3 Ways!" becomes "creme-brulee-3-ways". */
    static String fromTitle(String title) {
        String folded = COMBINING_MARKS.matcher(Normalizer.normalize(title, Normalizer.Form.NFKD)).replaceAll("")
                .replace("ß", "ss").replace("æ", "ae").replace("Æ", "ae").replace("ø", "o").replace("Ø", "o")
                .replace("œ", "oe").replace("Œ", "oe").replace("ł", "l").replace("Ł", "l")
                .toLowerCase(Locale.ROOT);
        String slug = trimHyphens(NOT_SLUG.matcher(folded).replaceAll("-"));
        slug = trimHyphens(cut(slug, MAX_LENGTH));
        return slug.isEmpty() ? FALLBACK : slug;
    }

    /** The first of base, base-2, base-3... not in {@code taken}, cut so it still fits. */
    static String firstFree(String base, Set<String> taken) {
        if (!taken.contains(base)) {
            return base;
        }
        for (int n = 2; ; n++) {
            String suffix = "-" + n;
            String candidate = trimHyphens(cut(base, MAX_LENGTH - suffix.length())) + suffix;
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    private static String trimHyphens(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) == '-') {
            start++;
        }
        while (end > start && text.charAt(end - 1) == '-') {
            end--;
        }
        return text.substring(start, end);
    }
}
