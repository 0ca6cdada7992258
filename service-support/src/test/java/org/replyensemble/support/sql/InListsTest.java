package org.replyensemble.support.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class InListsTest {

    @Test
    void padsToTheNextPowerOfTwoWithTheLastValue() {
        assertThat(InLists.padded(List.of())).isEmpty();
        assertThat(InLists.padded(List.of(7L))).containsExactly(7L);
        assertThat(InLists.padded(List.of(1L, 2L))).containsExactly(1L, 2L);
        assertThat(InLists.padded(List.of(1L, 2L, 3L))).containsExactly(1L, 2L, 3L, 3L);
        assertThat(InLists.padded(List.of(1L, 2L, 3L, 4L, 5L))).containsExactly(1L, 2L, 3L, 4L, 5L, 5L, 5L, 5L);
    }

    @Test
    void aBatchOfOneToSixtyFourValuesTakesOneOfSevenLengths() {
        Set<Integer> lengths = new LinkedHashSet<>();
        for (int size = 1; size <= 64; size++) {
            List<Integer> values = IntStream.rangeClosed(1, size).boxed().toList();
            List<Integer> padded = InLists.padded(values);
            assertThat(Set.copyOf(padded)).isEqualTo(Set.copyOf(values));
            lengths.add(padded.size());
        }
        assertThat(lengths).containsExactly(1, 2, 4, 8, 16, 32, 64);
    }
}
