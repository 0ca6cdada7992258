package org.replyensemble.local.mail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import org.replyensemble.local.Ports;

/**
 * An SMTP server that accepts every message for every address and keeps it in memory
 * (GreenMail, in this JVM, bound to 127.0.0.1). Messages get small ids in the order they are
 * first seen, for the inbox page.
 */
public final class MailCatcher implements AutoCloseable {

    private final GreenMail greenMail;
    private final Map<StoredMessage, CaughtMail> seen = new IdentityHashMap<>();
    private int lastId;

    /** @param smtpPort the SMTP port, or 0 for any free port */
    public MailCatcher(int smtpPort) {
        if (smtpPort != 0) {
            Ports.requireFree("SMTP catcher", "SMTP_PORT", smtpPort);
        }
        ServerSetup setup = new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        greenMail = new GreenMail(smtpPort == 0 ? setup.dynamicPort() : setup)
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
    }

    public MailCatcher start() {
        greenMail.start();
        return this;
    }

    public int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    /** Every message received so far, newest first. */
    public synchronized List<CaughtMail> messages() {
        List<StoredMessage> stored = new ArrayList<>(greenMail.getManagers().getImapHostManager().getAllMessages());
        stored.sort(Comparator.comparing(StoredMessage::getReceivedDate));
        for (StoredMessage message : stored) {
            seen.computeIfAbsent(message, m -> MimeReader.read(++lastId,
                    m.getReceivedDate() == null ? Instant.now() : m.getReceivedDate().toInstant(), m.getMimeMessage()));
        }
        List<CaughtMail> all = new ArrayList<>(seen.values());
        all.sort(Comparator.comparingInt(CaughtMail::id).reversed());
        return all;
    }

    public Optional<CaughtMail> message(int id) {
        return messages().stream().filter(m -> m.id() == id).findFirst();
    }

    /** Waits (blocking) until at least {@code count} messages arrived, or the timeout passed. */
    public boolean awaitMessages(int count, long timeoutMillis) {
        return greenMail.waitForIncomingEmail(timeoutMillis, count);
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
