package org.replyensemble.bench.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The sink's line reader gives back exactly the lines a client sent, however the bytes arrive. */
class SmtpLinesTest {

    @Test
    void splitsOnCrlfAndBareLfAndKeepsALastLineWithoutItsEnd() throws IOException {
        assertThat(lines(whole("EHLO x\r\nMAIL FROM:<a@b>\nbody\r\n\r\n.\r\nQUIT"))).containsExactly(
                "EHLO x", "MAIL FROM:<a@b>", "body", "", ".", "QUIT");
        assertThat(lines(whole(""))).isEmpty();
    }

    @Test
    void findsLinesThatArriveAByteAtATimeAndLinesLongerThanItsBuffer() throws IOException {
        String longLine = "x".repeat(200_000);
        String sent = "HELO a\r\n" + longLine + "\r\n..\r\n.\r\n";

        assertThat(lines(aByteAtATime(sent))).containsExactly("HELO a", longLine, "..", ".");
        assertThat(lines(whole(sent))).containsExactly("HELO a", longLine, "..", ".");
    }

    @Test
    void tellsTheEndOfDataTheEmptyLineAndTheFirstLetterWithoutMakingText() throws IOException {
        SmtpLines lines = new SmtpLines(whole("Message-ID: <x>\r\n\r\n..\r\n.\r\n"));

        assertThat(lines.advance()).isTrue();
        assertThat(lines.startsWithLetter('m')).isTrue();
        assertThat(lines.startsWithLetter('x')).isFalse();
        assertThat(lines.isEmpty()).isFalse();
        assertThat(lines.advance()).isTrue();
        assertThat(lines.isEmpty()).isTrue();
        assertThat(lines.isEndOfData()).isFalse();
        assertThat(lines.advance()).isTrue();
        assertThat(lines.isEndOfData()).as("a dot-stuffed line is body, not the end").isFalse();
        assertThat(lines.advance()).isTrue();
        assertThat(lines.isEndOfData()).isTrue();
        assertThat(lines.advance()).isFalse();
    }

    private static List<String> lines(InputStream in) throws IOException {
        SmtpLines lines = new SmtpLines(in);
        List<String> all = new ArrayList<>();
        while (lines.advance()) {
            all.add(lines.text());
        }
        return all;
    }

    private static InputStream whole(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static InputStream aByteAtATime(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }
}
