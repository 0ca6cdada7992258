package org.replyensemble.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An SMTP hop in front of the test mailbox that holds the server's answer to the end of a
 * message's DATA (the moment the server takes responsibility for it) for a while, or runs a hook
 * just before passing it on: "a mail server slower than the claim lease", "the database fails right
 * after the server accepted a message". Everything else goes through untouched.
 *
 * <p>Hand-written: GreenMail has no way to delay one reply, and a proxy that knows one bit of SMTP
 * (the end-of-data line, {@code CRLF.CRLF}) is enough; the server answers it only after reading it,
 * so the next chunk the server sends after the client sent it is that answer.
 */
final class SlowSmtpProxy implements AutoCloseable {

    private static final byte[] END_OF_DATA = {'\r', '\n', '.', '\r', '\n'};

    private final int targetPort;
    private final ServerSocket listener;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private volatile Duration answerDelay = Duration.ZERO;
    private final AtomicReference<Runnable> beforeNextAnswer = new AtomicReference<>();
    private final AtomicInteger heldAnswers = new AtomicInteger();
    private final AtomicInteger holding = new AtomicInteger();
    private final AtomicInteger answers = new AtomicInteger();

    SlowSmtpProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "slow-smtp-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Every answer to an end of data is held this long from now on. */
    void holdEveryAnswer(Duration delay) {
        answerDelay = delay;
    }

    /** Runs {@code hook} once, just before the next answer to an end of data reaches its client. */
    void beforeNextAnswer(Runnable hook) {
        beforeNextAnswer.set(hook);
    }

    /** Answers to an end of data held for longer than zero so far. */
    int heldAnswers() {
        return heldAnswers.get();
    }

    /**
     * Answers to an end of data being held at this moment: each is a message its sender has
     * claimed and not yet marked, so a sender of the proxied instance is in the middle of a batch.
     */
    int holdingNow() {
        return holding.get();
    }

    /** Answers to an end of data passed on so far (messages the server took). */
    int answers() {
        return answers.get();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        live.forEach(SlowSmtpProxy::closeQuietly);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                live.add(client);
                live.add(server);
                // Released by the client pump when it forwarded an end of data: the server's next chunk answers it.
                Semaphore endsOfData = new Semaphore(0);
                start(() -> clientToServer(client, server, endsOfData));
                start(() -> serverToClient(server, client, endsOfData));
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    continue;
                }
            }
        }
    }

    private void clientToServer(Socket client, Socket server, Semaphore endsOfData) {
        byte[] buffer = new byte[16 * 1024];
        int matched = 0;
        try (InputStream in = client.getInputStream(); OutputStream out = server.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
                for (int i = 0; i < read; i++) {
                    matched = buffer[i] == END_OF_DATA[matched] ? matched + 1 : buffer[i] == END_OF_DATA[0] ? 1 : 0;
                    if (matched == END_OF_DATA.length) {
                        endsOfData.release();
                        matched = 0;
                    }
                }
            }
        } catch (IOException e) {
            // a side closed: the other pump ends too
        } finally {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private void serverToClient(Socket server, Socket client, Semaphore endsOfData) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (endsOfData.tryAcquire()) {
                    answers.incrementAndGet();
                    Duration delay = answerDelay;
                    if (!delay.isZero()) {
                        heldAnswers.incrementAndGet();
                        holding.incrementAndGet();
                        try {
                            Thread.sleep(delay.toMillis());
                        } finally {
                            holding.decrementAndGet();
                        }
                    }
                    Runnable hook = beforeNextAnswer.getAndSet(null);
                    if (hook != null) {
                        hook.run();
                    }
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // a side closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static void start(Runnable pump) {
        Thread thread = new Thread(pump, "slow-smtp-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
