package org.replyensemble.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP hop between a service and a server it depends on, which a fault test closes and reopens
 * on the same port to take that dependency "down" for a while: closing it refuses new connections
 * and cuts the live ones, as a crashed or unreachable database would.
 *
 * <p>Hand-written (about 100 lines) because the embedded PostgreSQL cannot be stopped without
 * losing every other test's databases, and no library for this is on the project's classpath;
 * Toxiproxy would need its own server process.
 */
public final class TcpForwarder implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile ServerSocket listener;

    private TcpForwarder(String targetHost, int targetPort, int port) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = port;
    }

    /** Opens a forwarder on a free local port to {@code targetHost:targetPort}. */
    public static TcpForwarder open(String targetHost, int targetPort) {
        TcpForwarder forwarder = new TcpForwarder(targetHost, targetPort, freePort());
        forwarder.start();
        return forwarder;
    }

    public int port() {
        return port;
    }

    /** How many connections this hop has accepted since it was opened. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    public boolean isOpen() {
        return listener != null;
    }

    /** Accepts connections again, on the same port. */
    public synchronized void start() {
        if (listener != null) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listener = socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
        Thread acceptor = new Thread(() -> accept(listener), "forwarder-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Refuses new connections and cuts every open one. */
    public synchronized void stop() {
        ServerSocket socket = listener;
        listener = null;
        closeQuietly(socket);
        live.forEach(TcpForwarder::closeQuietly);
        live.clear();
    }

    @Override
    public void close() {
        stop();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                accepted.incrementAndGet();
                Socket server;
                try {
                    server = new Socket(targetHost, targetPort);
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                live.add(client);
                live.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                return; // the listener was closed by stop()
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException ignored) {
                // either side closed: the other is closed below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                live.remove(from);
                live.remove(to);
            }
        }, "forwarder-pump-" + port);
        pump.setDaemon(true);
        pump.start();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
