package org.replyensemble.notifications.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Properties;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.replyensemble.notifications.RefusingSmtpServer;
import org.replyensemble.testing.TcpForwarder;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * A sender thread's SMTP connection, against a real SMTP server (GreenMail) behind a TCP hop that
 * counts the connections: batch after batch go over one connection, one that the server dropped
 * is replaced at the next batch, and a refused recipient does not cost the connection. Every
 * connection's write timeout runs on the one shared timer, not a thread per connection.
 */
class SmtpConnectionTest {

    private final GreenMail server = new RefusingSmtpServer(ServerSetupTest.SMTP.dynamicPort());
    private final SmtpWriteTimeouts writeTimeouts = new SmtpWriteTimeouts();
    private TcpForwarder hop;
    private JavaMailSenderImpl smtp;

    @BeforeEach
    void start() {
        server.start();
        hop = TcpForwarder.open("127.0.0.1", server.getSmtp().getPort());
        smtp = new JavaMailSenderImpl();
        smtp.setHost("127.0.0.1");
        smtp.setPort(hop.port());
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.connectiontimeout", "5000");
        properties.setProperty("mail.smtp.timeout", "10000");
        properties.setProperty("mail.smtp.writetimeout", "10000");
        smtp.setJavaMailProperties(properties);
        writeTimeouts.postProcessAfterInitialization(smtp, "mailSender");
    }

    @AfterEach
    void stop() {
        hop.close();
        server.stop();
        writeTimeouts.destroy();
    }

    @Test
    void batchAfterBatchGoesOverOneConnection() throws Exception {
        try (SmtpConnection connection = new SmtpConnection(smtp)) {
            for (int batch = 0; batch < 5; batch++) {
                send(connection.forBatch(), "reader-" + batch + "-a@example.org");
                send(connection.current(), "reader-" + batch + "-b@example.org");
            }
        }
        assertThat(server.getReceivedMessages()).hasSize(10);
        assertThat(hop.connectionsAccepted()).isEqualTo(1);
        assertThat(smtp.getSession().getProperties().get("mail.smtp.executor.writetimeout")).isSameAs(writeTimeouts.timer());
    }

    @Test
    void aConnectionTheServerDroppedIsReplacedAtTheNextBatch() throws Exception {
        try (SmtpConnection connection = new SmtpConnection(smtp)) {
            send(connection.forBatch(), "before@example.org");
            hop.stop(); // cuts the open connection, as a server that closes idle ones does
            // The port may take a moment to be free again.
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                hop.start();
                return hop.isOpen();
            });
            send(connection.forBatch(), "after@example.org");
        }
        assertThat(server.getReceivedMessages()).hasSize(2);
        assertThat(hop.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void aRefusedRecipientKeepsTheConnectionForTheNextMessage() throws Exception {
        try (SmtpConnection connection = new SmtpConnection(smtp)) {
            Transport transport = connection.forBatch();
            assertThatThrownBy(() -> send(transport, "unknown-ann@example.org")).isInstanceOf(SendFailedException.class);
            connection.afterFailure();
            assertThat(connection.isOpen()).isTrue();
            send(connection.current(), "bob@example.org");
        }
        assertThat(server.getReceivedMessages()).hasSize(1);
        assertThat(hop.connectionsAccepted()).isEqualTo(1);
    }

    private void send(Transport transport, String to) throws MessagingException {
        MimeMessage message = new MimeMessage(smtp.getSession());
        message.setFrom("notifications@example.org");
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject("A reply");
        message.setText("Someone answered.");
        message.saveChanges();
        transport.sendMessage(message, message.getAllRecipients());
    }
}
