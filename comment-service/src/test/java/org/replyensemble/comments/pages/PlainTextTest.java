package org.replyensemble.comments.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.replyensemble.comments.pages.PlainText.Segment;

class PlainTextTest {

    @Test
    void blankLinesMakeParagraphsAndLineBreaksStay() {
        var paragraphs = PlainText.paragraphs("First line\r\nsecond line\n\n\n  Second paragraph\n");
        assertThat(paragraphs).hasSize(2);
        assertThat(paragraphs.get(0)).extracting(line -> line.get(0).text()).containsExactly("First line", "second line");
        assertThat(paragraphs.get(1)).extracting(line -> line.get(0).text()).containsExactly("Second paragraph");
    }

    @Test
    void httpAndWwwLinksAreFoundWithoutTrailingPunctuation() {
        List<Segment> line = PlainText.segments("See https://example.org/a_(b). Or www.example.com, then (http://x.example/y).");
        assertThat(line).filteredOn(Segment::link).extracting(Segment::text, Segment::href).containsExactly(
                org.assertj.core.groups.Tuple.tuple("https://example.org/a_(b)", "https://example.org/a_(b)"),
                org.assertj.core.groups.Tuple.tuple("www.example.com", "https://www.example.com"),
                org.assertj.core.groups.Tuple.tuple("http://x.example/y", "http://x.example/y"));
        assertThat(String.join("", line.stream().map(Segment::text).toList()))
                .isEqualTo("See https://example.org/a_(b). Or www.example.com, then (http://x.example/y).");
    }

    @Test
    void otherSchemesAndMarkupStayText() {
        List<Segment> line = PlainText.segments("javascript:alert(1) ftp://files.example/x <a href=\"https://e.example\">x</a>");
        assertThat(line).filteredOn(Segment::link).extracting(Segment::href).containsExactly("https://e.example");
        assertThat(String.join("", line.stream().filter(segment -> !segment.link()).map(Segment::text).toList()))
                .isEqualTo("javascript:alert(1) ftp://files.example/x <a href=\"\">x</a>");
    }

    @Test
    void nothingIsNothing() {
        assertThat(PlainText.paragraphs(null)).isEmpty();
        assertThat(PlainText.paragraphs(" \n ")).isEmpty();
    }
}
