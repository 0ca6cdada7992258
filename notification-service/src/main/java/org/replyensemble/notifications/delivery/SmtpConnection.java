package org.replyensemble.notifications.delivery;

import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * One sender thread's SMTP connection, kept from batch to batch while there is mail to send and
 * closed once the thread has been idle for a poll interval. Under a steady stream of comments the
 * thread stage commits small batches many times a second: a connection per batch cost a TCP and
 * SMTP handshake (and, with {@code mail.smtp.writetimeout}, a timer thread) each time, and a relay
 * sees a stream of short connections where one long one does.
 *
 * <p>Not thread-safe: each sender thread has its own.
 */
final class SmtpConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SmtpConnection.class);

    private final JavaMailSenderImpl smtp;
    private Transport transport;

    SmtpConnection(JavaMailSenderImpl smtp) {
        this.smtp = smtp;
    }

    /**
     * The connection for a new batch. A kept one is asked once whether it still works
     * ({@link Transport#isConnected()} sends NOOP and reads the answer: one round trip per batch,
     * where Spring's send loop pays it per message); a server may have closed it while it idled.
     */
    Transport forBatch() throws MessagingException {
        if (transport != null && !transport.isConnected()) {
            close();
        }
        return current();
    }

    /** The open connection, opened if there is none (the first message, or the one after a failure closed it). */
    Transport current() throws MessagingException {
        if (transport == null) {
            transport = connect();
        }
        return transport;
    }

    /**
     * After a message failed: a refusal of that message leaves the connection usable, a broken
     * connection is closed so the next message opens a new one.
     */
    void afterFailure() {
        if (transport != null && !transport.isConnected()) {
            close();
        }
    }

    boolean isOpen() {
        return transport != null;
    }

    @Override
    public void close() {
        if (transport != null) {
            try {
                transport.close();
            } catch (Exception e) {
                log.debug("Closing the SMTP connection failed: {}", e.toString());
            }
            transport = null;
        }
    }

    private Transport connect() throws MessagingException {
        Transport opened = smtp.getSession().getTransport(smtp.getProtocol() == null ? "smtp" : smtp.getProtocol());
        String username = smtp.getUsername();
        String password = smtp.getPassword();
        opened.connect(smtp.getHost(), smtp.getPort(), username == null || username.isEmpty() ? null : username,
                password == null || password.isEmpty() ? null : password);
        return opened;
    }
}
