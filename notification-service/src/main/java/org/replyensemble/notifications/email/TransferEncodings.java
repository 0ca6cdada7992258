package org.replyensemble.notifications.email;

import java.io.IOException;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeBodyPart;

/**
 * Names the Content-Transfer-Encoding of an email's text parts from the strings we rendered, by the
 * rule JavaMail applies when a part has none ({@code MimeUtility.getEncoding}): 7bit for ASCII text
 * in lines of at most 998 characters, quoted-printable for text mostly ASCII (or with longer lines),
 * base64 for text mostly not.
 *
 * <p>Written by hand because JavaMail finds it out by encoding the part's content again, through
 * its data handler into an output stream that counts byte by byte: 3.6% of notification-service's
 * CPU samples in a JFR profile of the 100,000-recipient fan-out (docs/benchmark.md), where one pass
 * over the String we already hold does.
 */
final class TransferEncodings {

    /** RFC 5322's limit, as JavaMail counts it. */
    private static final int MAX_LINE_LENGTH = 998;

    private TransferEncodings() {
    }

    /** Sets the encoding on every text part below {@code multipart} whose content is a String. */
    static void name(Multipart multipart) throws MessagingException {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            Object content;
            try {
                content = part.getContent();
            } catch (IOException e) {
                throw new MessagingException("cannot read a part of the email being composed", e);
            }
            if (content instanceof Multipart nested) {
                name(nested);
            } else if (content instanceof String text && part instanceof MimeBodyPart mime && mime.getEncoding() == null) {
                mime.setHeader("Content-Transfer-Encoding", of(text));
            }
        }
    }

    /**
     * The encoding JavaMail would choose for {@code text} sent as UTF-8, counting as it does
     * ({@code AsciiOutputStream}): bytes, where DEL and control characters other than CR, LF and tab
     * count as non-ASCII, and line lengths in bytes.
     */
    static String of(String text) {
        long ascii = 0;
        long nonAscii = 0;
        int lineLength = 0;
        boolean longLines = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                lineLength = 0;
                ascii++;
                continue;
            }
            // A char's UTF-8 bytes: 1 below U+0080, 2 below U+0800, 4 for a surrogate pair (2 per char), else 3.
            int bytes = c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
            lineLength += bytes;
            if (lineLength > MAX_LINE_LENGTH) {
                longLines = true;
            }
            if (c >= 0x7F || (c < 0x20 && c != '\t')) {
                nonAscii += bytes;
            } else {
                ascii++;
            }
        }
        if (nonAscii == 0) {
            return longLines ? "quoted-printable" : "7bit";
        }
        return ascii > nonAscii ? "quoted-printable" : "base64";
    }
}
