package org.replyensemble.local.seeds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class SeedThreadTest {

    private final SeedThread thread = SeedThread.read(SeedFiles.thread());

    @Test
    void readsThePostAndItsSixteenCommentsInOrder() {
        assertThat(thread.post().slug()).isEqualTo("vitamin-k2-shown-to-reverse-arterial-calcifications");
        assertThat(thread.post().title()).isEqualTo("Vitamin K2 Shown to Reverse Arterial Calcifications");
        assertThat(thread.post().author().email()).isEqualTo("arrow.durfee@example.org");
        assertThat(thread.post().body()).contains("Maastricht University").endsWith("health food supplements.");
        assertThat(thread.comments()).extracting(SeedThread.Comment::ref)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 16).boxed().toList());
    }

    @Test
    void keepsTheCommentTextsAsWritten() {
        assertThat(thread.comment(8).author().name()).isEqualTo("Arrow");
        assertThat(thread.comment(8).body()).startsWith("Hi Chuck,\nFirst of using a statin drug");
        assertThat(thread.comment(11).author().name()).isEqualTo("ArrowDurfee");
        assertThat(thread.comment(14).body()).startsWith("becasue your moms situation");
        assertThat(thread.comment(15).body()).startsWith("Since no one is speaking up I will.\n\nYes, supplements");
        assertThat(thread.comments()).allSatisfy(c -> {
            assertThat(c.body()).isNotBlank().doesNotStartWith(" ").doesNotEndWith("\n").doesNotContain("\n\n\n");
            assertThat(c.notifyMe()).isTrue();
        });
    }

    @Test
    void eightPeopleOneAddressEach() {
        Set<String> addresses = thread.comments().stream().map(c -> c.author().email()).collect(Collectors.toSet());
        addresses.add(thread.post().author().email());
        assertThat(addresses).hasSize(8).allSatisfy(a -> assertThat(a).endsWith("@example.org"));
        assertThat(thread.comments().stream().filter(c -> c.author().name().startsWith("Arrow"))
                .map(c -> c.author().email()).collect(Collectors.toSet()))
                .containsExactly("arrow.durfee@example.org");
    }

    @Test
    void everyParentComesEarlierInTheThread() {
        Set<Integer> before = new HashSet<>();
        for (SeedThread.Comment c : thread.comments()) {
            if (c.parentRef() != null) {
                assertThat(before).as("parent of comment %d", c.ref()).contains(c.parentRef());
            }
            before.add(c.ref());
        }
        assertThat(thread.comments().stream().filter(c -> c.parentRef() != null)
                .collect(Collectors.toMap(SeedThread.Comment::ref, SeedThread.Comment::parentRef)))
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of(4, 3, 6, 5, 8, 7, 11, 10, 14, 13, 15, 12, 16, 14));
    }
}
