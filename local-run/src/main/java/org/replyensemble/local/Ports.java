package org.replyensemble.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Checks on local TCP ports. */
public final class Ports {

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

    /** A port free right now (for tests). */
    public static int anyFree() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
