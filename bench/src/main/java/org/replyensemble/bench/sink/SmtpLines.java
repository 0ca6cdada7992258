package org.replyensemble.bench.sink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of one SMTP session, read through a buffer of its own, with the current line kept as a
 * slice of that buffer until the next {@link #advance()}: the body's lines are only looked at, never
 * copied into strings.
 *
 * <p>Why not {@code BufferedInputStream.read()} and a {@code ByteArrayOutputStream} per line, as the
 * sink had: both take a lock per byte. At 100 comments/s (three emails each) the sink's sessions
 * ran 0.73-0.81 ms of CPU per comment that way (docs/benchmark.md, 2026-12-04), on the same two
 * cores as the services it measures.
 */
final class SmtpLines {

    private final InputStream in;
    private byte[] buffer = new byte[64 * 1024];
    /** The unread bytes are buffer[next, end). */
    private int next;
    private int end;
    private int lineStart;
    private int lineLength;

    SmtpLines(InputStream in) {
        this.in = in;
    }

    /**
     * Moves to the next line (its CRLF or LF taken off).
     *
     * @return false when the stream ended with no line left (a last line without its line end still counts)
     */
    boolean advance() throws IOException {
        int scanned = next;
        while (true) {
            for (int i = scanned; i < end; i++) {
                if (buffer[i] == '\n') {
                    lineStart = next;
                    lineLength = i > next && buffer[i - 1] == '\r' ? i - 1 - next : i - next;
                    next = i + 1;
                    return true;
                }
            }
            compactOrGrow();
            scanned = end;
            int read = in.read(buffer, end, buffer.length - end);
            if (read < 0) {
                if (end == next) {
                    return false;
                }
                lineStart = next;
                lineLength = end - next;
                next = end;
                return true;
            }
            end += read;
        }
    }

    /** The current line as text (ISO-8859-1: a byte a character, whatever the bytes are). */
    String text() {
        return new String(buffer, lineStart, lineLength, StandardCharsets.ISO_8859_1);
    }

    boolean isEmpty() {
        return lineLength == 0;
    }

    /** The line of a lone "." that ends a message's DATA. */
    boolean isEndOfData() {
        return lineLength == 1 && buffer[lineStart] == '.';
    }

    /** Whether the line starts with {@code c} in either case (an ASCII letter). */
    boolean startsWithLetter(char c) {
        return lineLength > 0 && (buffer[lineStart] | 0x20) == (Character.toLowerCase(c));
    }

    /** Moves the unread bytes to the front; doubles the buffer when a single line fills it. */
    private void compactOrGrow() {
        if (next > 0) {
            System.arraycopy(buffer, next, buffer, 0, end - next);
            end -= next;
            next = 0;
        }
        if (end == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
    }
}
