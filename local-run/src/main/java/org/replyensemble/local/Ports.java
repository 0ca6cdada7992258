package org.replyensemble.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Checks on local TCP ports. */
public final class Ports {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /** Fails with a message naming the setting to change when something already listens on the port. */
    public static void requireFree(String what, String variable, int port) {
        if (accepts(port)) {
            throw new IllegalStateException(what + ": port " + port + " is already in use; free it or set "
                    + variable + " to another port");
        }
    }

    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A port free right now and not handed out before by this JVM: the ports are taken later, when
     * the processes they are for start, and the kernel may offer a closed port again meanwhile (a
     * benchmark run once gave notification-service the port post-service had just bound).
     */
    public static int anyFree() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("no free port", e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port that was not handed out already");
    }
}
