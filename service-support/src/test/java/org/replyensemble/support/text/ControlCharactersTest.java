package org.replyensemble.support.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ControlCharactersTest {

    @ParameterizedTest
    @ValueSource(strings = { "Ann", "Zoë Ångström", "李小龙", "O'Brien-Smith Jr.", "Ann 👩‍🔬", "e\u0301", "\uFFFD", "\uD83D\uDE00" })
    void ordinaryNamesPass(String name) {
        assertThat(ControlCharacters.containsAny(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "Ann\nBcc: x@example.com", "Ann\r", "Tab\tbed", "nul\u0000", "del\u007f", "c1\u0085",
            "line\u2028sep", "evil\u202Egnp.exe", "iso\u2066late", "lone\uD800", "lone\uDC00low", "\uDC00\uD800",
            "non\uFFFF", "non\uFFFE", "non\uFDD0", "astral non\uDBFF\uDFFF" })
    void controlCharactersBidiOverridesAndInvalidUnicodeAreCaught(String name) {
        assertThat(ControlCharacters.containsAny(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "Line one\nline two", "Windows\r\nline", "tab\tseparated", "Zoë 👩‍🔬 李", "",
            "right-to-left \u202Eis allowed in a body", "line\u2028separator" })
    void multiLineTextMayHoldTabsAndLineBreaks(String body) {
        assertThat(ControlCharacters.containsAnyInMultiLine(body)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "nul\u0000", "bell\u0007", "escape\u001B[31m", "vertical\u000Btab", "form\u000Cfeed",
            "del\u007F", "c1\u0085", "c1\u0092", "lone\uD800", "lone\uDFFF", "non\uFFFF", "non\uFDEF" })
    void multiLineTextRefusesOtherControlsAndInvalidUnicode(String body) {
        assertThat(ControlCharacters.containsAnyInMultiLine(body)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "" })
    void emptyAndNullHaveNone(String name) {
        assertThat(ControlCharacters.containsAny(name)).isFalse();
        assertThat(ControlCharacters.containsAny(null)).isFalse();
        assertThat(ControlCharacters.containsAnyInMultiLine(null)).isFalse();
    }
}
