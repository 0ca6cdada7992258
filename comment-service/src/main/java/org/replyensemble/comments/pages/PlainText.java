package org.replyensemble.comments.pages;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.nibor.autolink.LinkExtractor;
import org.nibor.autolink.LinkSpan;
import org.nibor.autolink.LinkType;
import org.nibor.autolink.Span;

/**
 * What a person typed, ready for a template that escapes everything (th:text, th:href): paragraphs
 * (split at blank lines) of lines of segments, each either text or a link. Nothing here produces
 * markup, so no input can become HTML; the template adds the {@code <br>}, {@code <p>} and
 * {@code <a rel="nofollow ugc noopener">} elements around escaped text.
 *
 * <p>Links are found by org.nibor.autolink (http, https and www. links; trailing punctuation and
 * unbalanced brackets left out, as people write "see https://example.org/a_(b)."), not by a
 * regex of our own. Only http and https become links: an "ftp:" or "javascript:" text stays text.
 */
public final class PlainText {

    private static final LinkExtractor LINKS = LinkExtractor.builder()
            .linkTypes(EnumSet.of(LinkType.URL, LinkType.WWW)).build();
    private static final Pattern ANY_LINE_BREAK = Pattern.compile("\\R");
    private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\n\\h*\n\\s*");

    /** A piece of one line: text, or a link whose visible text is {@code text}. */
    public record Segment(String text, String href) {
        public boolean link() {
            return href != null;
        }
    }

    private PlainText() {
    }

    static List<List<List<Segment>>> paragraphs(String text) {
        List<List<List<Segment>>> paragraphs = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return paragraphs;
        }
        // One kind of line break first: \R alone would also split a CRLF in two.
        String normalized = ANY_LINE_BREAK.matcher(text.strip()).replaceAll("\n");
        for (String paragraph : PARAGRAPH_BREAK.split(normalized)) {
            List<List<Segment>> lines = new ArrayList<>();
            for (String line : paragraph.split("\n", -1)) {
                lines.add(segments(line));
            }
            paragraphs.add(lines);
        }
        return paragraphs;
    }

    static List<Segment> segments(String line) {
        List<Segment> segments = new ArrayList<>();
        for (Span span : LINKS.extractSpans(line)) {
            String part = line.substring(span.getBeginIndex(), span.getEndIndex());
            String href = span instanceof LinkSpan link ? href(link, part) : null;
            segments.add(new Segment(part, href));
        }
        return segments;
    }

    private static String href(LinkSpan link, String text) {
        if (link.getType() == LinkType.WWW) {
            return "https://" + text;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://") ? text : null;
    }
}
