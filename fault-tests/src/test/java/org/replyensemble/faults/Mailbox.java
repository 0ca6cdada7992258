package org.replyensemble.faults;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.awaitility.Awaitility;
import org.replyensemble.testing.TestMailServer;

/**
 * The SMTP server the services send to: a GreenMail (in this JVM or a container) on a fixed port
 * that a test stops and starts again ("the mail server is down"). GreenMail forgets its mail when
 * stopped, so what it received before is kept here: {@link #received()} is everything accepted since the mailbox opened.
 */
final class Mailbox implements AutoCloseable {

    /** The derived Message-ID names the comment: {@code <comment-<uuid>.<address hash>@domain>}. */
    private static final Pattern COMMENT_IN_MESSAGE_ID = Pattern.compile("<comment-([0-9a-f-]{36})\\.");

    static {
        // A service killed or cut off in the middle of an SMTP session leaves a GreenMail handler
        // thread dying with "connection reset". That is the fault under test, not a failure of
        // whatever a test is awaiting, but Awaitility by default rethrows any thread's uncaught
        // exception from the await running at that moment (seen: a Burst client's await failed).
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }

    private final TestMailServer server = TestMailServer.onFreePort();
    private final List<Email> earlier = new ArrayList<>();
    /**
     * Each message of the running server parsed once (the server hands out the same objects each
     * time, grouped by mailbox rather than in arrival order): the soak's settling looks at 10,000+
     * emails four times a second, and parsing them all each time took a core from the services.
     */
    private final Map<MimeMessage, Email> parsed = new IdentityHashMap<>();

    String host() {
        return server.host();
    }

    int port() {
        return server.smtpPort();
    }

    synchronized Mailbox start() {
        server.start();
        return this;
    }

    /** Refuses connections from now on; what was received so far is kept. */
    synchronized void stop() {
        if (server.isRunning()) {
            earlier.addAll(fromServer());
            parsed.clear();
            server.stop();
        }
    }

    synchronized boolean isRunning() {
        return server.isRunning();
    }

    /** Every email accepted so far, one entry per accepted message (a duplicate shows twice). */
    synchronized List<Email> received() {
        List<Email> all = new ArrayList<>(earlier);
        if (server.isRunning()) {
            all.addAll(fromServer());
        }
        return all;
    }

    private List<Email> fromServer() {
        MimeMessage[] messages = server.getReceivedMessages();
        List<Email> emails = new ArrayList<>(messages.length);
        for (MimeMessage message : messages) {
            emails.add(parsed.computeIfAbsent(message, one -> parse(new MimeMessage[] { one }).get(0)));
        }
        return emails;
    }

    /** The text part of the email about this comment to this address, received since the server last started. */
    synchronized String text(UUID commentId, String to) {
        if (server == null) {
            throw new IllegalStateException("the mail server is stopped");
        }
        for (MimeMessage message : server.getReceivedMessages()) {
            List<Email> parsed = parse(new MimeMessage[] { message });
            if (parsed.get(0).equals(new Email(commentId, to.toLowerCase()))) {
                try {
                    return textOf(message);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new AssertionError("no email about " + commentId + " to " + to);
    }

    private static String textOf(jakarta.mail.Part part) throws Exception {
        if (part.isMimeType("text/plain")) {
            return (String) part.getContent();
        }
        if (part.getContent() instanceof jakarta.mail.Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                String text = textOf(multipart.getBodyPart(i));
                if (text != null) {
                    return text;
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        stop();
    }

    private static List<Email> parse(MimeMessage[] messages) {
        List<Email> emails = new ArrayList<>(messages.length);
        for (MimeMessage message : messages) {
            try {
                Matcher matcher = COMMENT_IN_MESSAGE_ID.matcher(String.valueOf(message.getMessageID()));
                if (!matcher.find()) {
                    throw new AssertionError("a reply email without a derived Message-ID: " + message.getMessageID());
                }
                String to = ((InternetAddress) message.getRecipients(Message.RecipientType.TO)[0]).getAddress();
                emails.add(new Email(UUID.fromString(matcher.group(1)), to.toLowerCase()));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return emails;
    }
}
