package org.replyensemble.local;

import java.util.ArrayDeque;
import java.util.Deque;

/** Things to stop, stopped once, last started first; used by the shutdown hook and on a failed start. */
public final class Shutdown {

    private final Deque<Step> steps = new ArrayDeque<>();
    private boolean done;

    private record Step(String name, AutoCloseable resource) {
    }

    /** Registers a resource to stop; when the shutdown already ran (Ctrl-C during start-up) it is stopped at once. */
    public synchronized <T extends AutoCloseable> T add(String name, T resource) {
        if (done) {
            close(new Step(name, resource));
        } else {
            steps.push(new Step(name, resource));
        }
        return resource;
    }

    public synchronized void run() {
        if (done) {
            return;
        }
        done = true;
        while (!steps.isEmpty()) {
            close(steps.pop());
        }
    }

    private static void close(Step step) {
        try {
            System.out.println("Stopping " + step.name() + " ...");
            step.resource().close();
        } catch (Exception e) {
            System.err.println("Stopping " + step.name() + " failed: " + e);
        }
    }
}
