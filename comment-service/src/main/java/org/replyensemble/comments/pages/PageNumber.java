package org.replyensemble.comments.pages;

/** A page number from a link a person may have edited: anything unusable is the first page, never an error page. */
final class PageNumber {

    private PageNumber() {
    }

    static int parse(String text) {
        if (text == null || text.isBlank() || text.length() > 10) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
