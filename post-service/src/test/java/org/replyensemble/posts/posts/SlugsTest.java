package org.replyensemble.posts.posts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SlugsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Vitamin K2 and your bones | vitamin-k2-and-your-bones",
            "Crème Brûlée: 3 Ways! | creme-brulee-3-ways",
            "  --Hello,   World--  | hello-world",
            "Straße & Øl | strasse-ol",
            "ÀÉÎÕÜ çñ | aeiou-cn",
            "日本語 | post",
            "!!! | post" })
    void slugFromTitleIsAsciiLowercaseWithHyphens(String title, String slug) {
        assertThat(Slugs.fromTitle(title)).isEqualTo(slug);
        assertThat(Slugs.isValid(slug)).isTrue();
    }

    @Test
    void longTitlesAreCutWithoutATrailingHyphen() {
        String slug = Slugs.fromTitle("word ".repeat(60));
        assertThat(slug).hasSizeLessThanOrEqualTo(120).doesNotEndWith("-").startsWith("word-word");
    }

    @Test
    void takenSlugsGetTheNextFreeNumber() {
        assertThat(Slugs.firstFree("k2", Set.of())).isEqualTo("k2");
        assertThat(Slugs.firstFree("k2", Set.of("k2"))).isEqualTo("k2-2");
        assertThat(Slugs.firstFree("k2", Set.of("k2", "k2-2", "k2-3"))).isEqualTo("k2-4");
        assertThat(Slugs.firstFree("k2", Set.of("k2", "k2-3"))).isEqualTo("k2-2");
    }

    @Test
    void numberedSlugStillFitsIn120() {
        String base = "a".repeat(120);
        String numbered = Slugs.firstFree(base, Set.of(base));
        assertThat(numbered).hasSize(120).endsWith("-2");
        assertThat(Slugs.isValid(numbered)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "Upper", "with space", "under_score", "ü-umlaut", "slash/" })
    void invalidChosenSlugs(String slug) {
        assertThat(Slugs.isValid(slug)).isFalse();
    }

    @Test
    void slugLengthLimit() {
        assertThat(Slugs.isValid("a".repeat(120))).isTrue();
        assertThat(Slugs.isValid("a".repeat(121))).isFalse();
    }
}
