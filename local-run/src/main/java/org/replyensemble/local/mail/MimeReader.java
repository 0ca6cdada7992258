package org.replyensemble.local.mail;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/** Reads a received MIME message into a {@link CaughtMail}: decoded headers, the first text and HTML parts. */
final class MimeReader {

    private MimeReader() {
    }

    static CaughtMail read(int id, Instant receivedAt, MimeMessage message) {
        try {
            Parts parts = new Parts();
            collect(message, parts);
            return new CaughtMail(id, receivedAt,
                    addresses(message.getFrom()),
                    addresses(message.getAllRecipients()),
                    message.getSubject(),
                    header(message, "Message-ID"),
                    header(message, "In-Reply-To"),
                    header(message, "References"),
                    header(message, "List-Unsubscribe"),
                    header(message, "List-Unsubscribe-Post"),
                    parts.text,
                    parts.html);
        } catch (MessagingException | IOException | RuntimeException e) {
            return new CaughtMail(id, receivedAt, null, null, "(unreadable message: " + e.getMessage() + ")",
                    null, null, null, null, null, null, null);
        }
    }

    private static final class Parts {
        String text;
        String html;
    }

    private static void collect(Part part, Parts parts) throws MessagingException, IOException {
        if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return;
        }
        if (part.isMimeType("multipart/*")) {
            // getContent() gives a Multipart only when Jakarta Activation finds the mail handlers
            // (angus-activation on the classpath); say so instead of failing obscurely
            if (!(part.getContent() instanceof Multipart multipart)) {
                throw new MessagingException("multipart content not decoded: is angus-activation on the classpath?");
            }
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                collect(child, parts);
            }
        } else if (part.isMimeType("text/plain") && parts.text == null) {
            parts.text = String.valueOf(part.getContent());
        } else if (part.isMimeType("text/html") && parts.html == null) {
            parts.html = String.valueOf(part.getContent());
        }
    }

    private static String header(MimeMessage message, String name) throws MessagingException {
        return message.getHeader(name, ", ");
    }

    private static String addresses(Address[] addresses) {
        if (addresses == null) {
            return null;
        }
        return Arrays.stream(addresses)
                .map(a -> a instanceof InternetAddress ia ? ia.toUnicodeString() : a.toString())
                .collect(Collectors.joining(", "));
    }
}
