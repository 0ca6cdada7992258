package org.replyensemble.support.text;

/**
 * Characters a person's name must not contain. Names go into email headers and subjects
 * ("Paul replied to your comment"): a line break there could forge a header, and a bidi
 * override could make the subject read differently from what was typed.
 */
public final class ControlCharacters {

    private ControlCharacters() {
    }

    public static boolean containsAny(CharSequence text) {
        return text != null && text.codePoints().anyMatch(ControlCharacters::isForbidden);
    }

    static boolean isForbidden(int codePoint) {
        return Character.getType(codePoint) == Character.CONTROL // C0, DEL, C1: tabs and line breaks included
                || codePoint == 0x2028 || codePoint == 0x2029 // line and paragraph separators
                || (codePoint >= 0x202A && codePoint <= 0x202E) // bidi embeddings and overrides
                || (codePoint >= 0x2066 && codePoint <= 0x2069); // bidi isolates
    }
}
