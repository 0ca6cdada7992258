package org.replyensemble.support.text;

/**
 * The characters user text must not contain. Two rules:
 * <ul>
 *   <li>single-line text (names, titles, addresses) goes into email headers and subjects
 *       ("Paul replied to your comment"): no control character at all, no line or paragraph
 *       separator (a line break there could forge a header), no bidi embedding, override or
 *       isolate (it could make a subject read differently from what was typed);</li>
 *   <li>multi-line text (a post or comment body) may hold tabs and line breaks (TAB, LF, CR) but
 *       no other control character: PostgreSQL refuses NUL in text (it answered 500 before),
 *       and the other C0 and C1 controls are never part of text a person typed (they come from
 *       binary junk or a mis-decoded legacy encoding) and upset terminals and mail clients.</li>
 * </ul>
 * Both refuse what cannot be stored faithfully or means nothing in interchange: a lone UTF-16
 * surrogate (JSON allows {@code "\ud800"}; encoding it to UTF-8 for PostgreSQL silently turns it
 * into '?', so what was answered would differ from what was stored) and the Unicode
 * noncharacters (U+FDD0..U+FDEF and U+xxFFFE/U+xxFFFF, reserved for a program's internal use).
 */
public final class ControlCharacters {

    private ControlCharacters() {
    }

    /** Whether single-line text breaks the rule (null and empty do not). */
    public static boolean containsAny(CharSequence text) {
        return firstForbidden(text, false) >= 0;
    }

    /** Whether multi-line text breaks the rule (null and empty do not). */
    public static boolean containsAnyInMultiLine(CharSequence text) {
        return firstForbidden(text, true) >= 0;
    }

    private static int firstForbidden(CharSequence text, boolean multiLine) {
        if (text == null) {
            return -1;
        }
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            int codePoint = c;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                    codePoint = Character.toCodePoint(c, text.charAt(++i));
                } else {
                    return i; // a high surrogate without its low half
                }
            } else if (Character.isLowSurrogate(c)) {
                return i; // a low surrogate without its high half
            }
            if (multiLine ? isForbiddenInMultiLine(codePoint) : isForbidden(codePoint)) {
                return i;
            }
        }
        return -1;
    }

    static boolean isForbidden(int codePoint) {
        return Character.getType(codePoint) == Character.CONTROL // C0, DEL, C1: tabs and line breaks included
                || codePoint == 0x2028 || codePoint == 0x2029 // line and paragraph separators
                || (codePoint >= 0x202A && codePoint <= 0x202E) // bidi embeddings and overrides
                || (codePoint >= 0x2066 && codePoint <= 0x2069) // bidi isolates
                || isNoncharacter(codePoint);
    }

    static boolean isForbiddenInMultiLine(int codePoint) {
        if (codePoint == '\t' || codePoint == '\n' || codePoint == '\r') {
            return false;
        }
        return Character.getType(codePoint) == Character.CONTROL || isNoncharacter(codePoint);
    }

    private static boolean isNoncharacter(int codePoint) {
        return (codePoint >= 0xFDD0 && codePoint <= 0xFDEF) || (codePoint & 0xFFFE) == 0xFFFE;
    }
}
