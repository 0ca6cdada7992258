package org.replyensemble.bench.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import java.util.UUID;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

/** The sink speaks enough SMTP for JavaMail and attributes each message to its comment. */
class SmtpSinkTest {

    @Test
    void acceptsMessagesOverOneConnectionAndReadsTheCommentIdOfEach() throws MessagingException {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        try (SmtpSink sink = new SmtpSink(0).start()) {
            Properties properties = new Properties();
            properties.put("mail.smtp.host", "localhost");
            properties.put("mail.smtp.port", String.valueOf(sink.port()));
            Session session = Session.getInstance(properties);
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect();
                send(session, transport, "<comment-" + first + ".0123456789abcdef@replyensemble.local>");
                send(session, transport, "<comment-" + second + ".0123456789abcdef@replyensemble.local>");
                send(session, transport, "<something-else@example.org>");
            }

            assertThat(sink.count()).isEqualTo(3);
            assertThat(sink.connections()).isEqualTo(1);
            assertThat(sink.drain()).extracting(AcceptedMail::commentId).containsExactly(first, second, null);
            assertThat(sink.drain()).isEmpty();
        }
    }

    @Test
    void readsOnlyReplyMessageIds() {
        UUID id = UUID.randomUUID();
        assertThat(MessageIdParser.commentIdOf("Message-ID: <comment-" + id + ".abc@x>")).isEqualTo(id);
        assertThat(MessageIdParser.commentIdOf("message-id:   <comment-" + id + ".abc@x>")).isEqualTo(id);
        assertThat(MessageIdParser.commentIdOf("MIME-Version: 1.0")).isNull();
        assertThat(MessageIdParser.commentIdOf("Message-ID: <post-" + id + "@x>")).isNull();
        assertThat(MessageIdParser.commentIdOf("Message-ID: <comment-not-a-uuid-at-all-but-long-enough-xx@x>")).isNull();
    }

    private static void send(Session session, Transport transport, String messageId) throws MessagingException {
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        message.setFrom(new InternetAddress("from@example.org"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("to@example.org"));
        message.setSubject("Hello");
        message.setText("Body\n.\nwith a dot line");
        message.saveChanges();
        transport.sendMessage(message, message.getAllRecipients());
    }
}
