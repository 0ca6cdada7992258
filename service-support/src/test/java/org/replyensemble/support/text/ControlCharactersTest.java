package org.replyensemble.support.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ControlCharactersTest {

    @ParameterizedTest
    @ValueSource(strings = { "Ann", "Zoë Ångström", "李小龙", "O'Brien-Smith Jr.", "Ann 👩‍🔬" })
    void ordinaryNamesPass(String name) {
        assertThat(ControlCharacters.containsAny(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "Ann\nBcc: x@example.com", "Ann\r", "Tab\tbed", "nul\u0000", "del\u007f", "c1\u0085",
            "line\u2028sep", "evil\u202Egnp.exe", "iso\u2066late" })
    void controlCharactersAndBidiOverridesAreCaught(String name) {
        assertThat(ControlCharacters.containsAny(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "" })
    void emptyAndNullHaveNone(String name) {
        assertThat(ControlCharacters.containsAny(name)).isFalse();
        assertThat(ControlCharacters.containsAny(null)).isFalse();
    }
}
