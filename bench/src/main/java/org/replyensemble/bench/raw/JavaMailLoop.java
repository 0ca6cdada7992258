package org.replyensemble.bench.raw;

import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/**
 * The raw limit of mail delivery on this machine: a bare JavaMail loop, one thread, one SMTP
 * connection reused for every message, sending messages shaped like the reply emails (text + HTML
 * alternative, about the same size) into the same sink the notification-service sends to.
 */
public final class JavaMailLoop {

    private static final String TEXT = "Paul replied in \"A post for the benchmark\":\n\n"
            + "> " + "The excerpt of the reply, as long as the real ones. ".repeat(4) + "\n\n"
            + "Read it: http://localhost:8082/posts/a-post-for-the-benchmark#comment-00000000\n\n"
            + "You get this email because you commented on this post.\n"
            + "Stop emails about this post: http://localhost:8083/unsubscribe?token=" + "x".repeat(180) + "\n";
    private static final String HTML = "<!DOCTYPE html><html><body><p>Paul replied in <b>A post for the benchmark</b>:</p>"
            + "<blockquote>" + "The excerpt of the reply, as long as the real ones. ".repeat(4) + "</blockquote>"
            + "<p><a href=\"http://localhost:8082/posts/a-post-for-the-benchmark#comment-00000000\">Read it</a></p>"
            + "<p style=\"color:#666\">You get this email because you commented on this post. "
            + "<a href=\"http://localhost:8083/unsubscribe?token=" + "x".repeat(180) + "\">Stop emails about this post</a></p>"
            + "</body></html>";

    private JavaMailLoop() {
    }

    /** @return messages per second over {@code count} messages, after a warm-up of {@code warmUp} */
    public static double messagesPerSecond(int port, int warmUp, int count) {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "localhost");
        properties.put("mail.smtp.port", String.valueOf(port));
        Session session = Session.getInstance(properties);
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect();
            send(session, transport, warmUp);
            long start = System.nanoTime();
            send(session, transport, count);
            return count / ((System.nanoTime() - start) / 1e9);
        } catch (MessagingException e) {
            throw new IllegalStateException("the raw JavaMail loop failed: " + e, e);
        }
    }

    private static void send(Session session, Transport transport, int count) throws MessagingException {
        for (int i = 0; i < count; i++) {
            MimeMessage message = new MimeMessage(session) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    setHeader("Message-ID", "<raw-" + System.nanoTime() + "@bench.local>");
                }
            };
            message.setFrom(new InternetAddress("notifications@replyensemble.local", false));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress("reader" + i + "@bench.test", false));
            message.setSubject("Paul replied to your comment on \"A post for the benchmark\"", "UTF-8");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(TEXT, "UTF-8");
            MimeBodyPart html = new MimeBodyPart();
            html.setContent(HTML, "text/html; charset=UTF-8");
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            message.setContent(alternative);
            message.saveChanges();
            transport.sendMessage(message, message.getAllRecipients());
        }
    }
}
