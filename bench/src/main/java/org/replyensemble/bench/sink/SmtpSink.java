package org.replyensemble.bench.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An SMTP server that accepts every message, keeps nothing of it but the comment id of its
 * Message-ID and the moment it accepted it (the "." that ends DATA, just before the 250 reply).
 *
 * <p>Why hand-written rather than GreenMail (which the local run uses): GreenMail parses every
 * message into a MimeMessage and stores it in a per-recipient mailbox in memory; a 100,000-recipient
 * fan-out would grow this JVM by hundreds of MB and spend CPU on parsing that the two cores also
 * need for the services under test. Measured here with the bare JavaMail loop over one connection
 * (reply-sized messages, 5,000 a round, 2 cores, another build running): this sink 2,000-2,700
 * messages/s (the client is the limit), GreenMail in-process about 1,300/s, with 220 MB of heap
 * after 18,000 messages. The sink must be faster than what it measures, so the figures show the
 * ensemble's limits, not the sink's.
 *
 * <p>One thread per connection: the notification-service holds one connection per batch, the
 * raw loop one in all, so there are only ever a handful.
 */
public final class SmtpSink implements AutoCloseable {

    private final ServerSocket server;
    private final ConcurrentLinkedQueue<AcceptedMail> accepted = new ConcurrentLinkedQueue<>();
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private volatile boolean running = true;

    public SmtpSink(int port) {
        try {
            server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException("the SMTP sink cannot listen on port " + port, e);
        }
    }

    public SmtpSink start() {
        Thread acceptor = new Thread(this::acceptLoop, "smtp-sink");
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Messages accepted since the start. */
    public long count() {
        return count.get();
    }

    /** SMTP connections opened since the start: shows whether a sender reuses its connection. */
    public long connections() {
        return connections.get();
    }

    /** Hands over (and forgets) what was accepted since the last call. */
    public List<AcceptedMail> drain() {
        List<AcceptedMail> all = new ArrayList<>();
        AcceptedMail mail;
        while ((mail = accepted.poll()) != null) {
            all.add(mail);
        }
        return all;
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                Thread session = new Thread(() -> serve(socket), "smtp-sink-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                if (running) {
                    System.err.println("[bench] SMTP sink: accept failed: " + e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            SmtpLines lines = new SmtpLines(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            reply(out, "220 bench-sink ESMTP");
            while (lines.advance()) {
                String line = lines.text();
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
                switch (command) {
                    case "EHLO" -> reply(out, "250-bench-sink\r\n250-8BITMIME\r\n250 SIZE 52428800");
                    case "HELO" -> reply(out, "250 bench-sink");
                    case "MAIL", "RCPT", "RSET", "NOOP" -> reply(out, "250 OK");
                    case "DATA" -> {
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        UUID commentId = readMessage(lines);
                        accepted.add(new AcceptedMail(commentId, System.nanoTime()));
                        count.incrementAndGet();
                        reply(out, "250 OK");
                    }
                    case "QUIT" -> {
                        reply(out, "221 Bye");
                        return;
                    }
                    default -> reply(out, "502 Command not implemented");
                }
            }
        } catch (SocketException e) {
            // the client went away; nothing to do
        } catch (IOException e) {
            if (running) {
                System.err.println("[bench] SMTP sink: session failed: " + e);
            }
        }
    }

    /** Reads the message up to the lone "."; only the headers are looked at, for the Message-ID. */
    private static UUID readMessage(SmtpLines lines) throws IOException {
        UUID commentId = null;
        boolean inHeaders = true;
        while (lines.advance()) {
            if (lines.isEndOfData()) {
                return commentId;
            }
            if (inHeaders) {
                if (lines.isEmpty()) {
                    inHeaders = false;
                } else if (commentId == null && lines.startsWithLetter('m')) {
                    commentId = MessageIdParser.commentIdOf(lines.text());
                }
            }
        }
        throw new IOException("the connection closed inside DATA");
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() {
        running = false;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
