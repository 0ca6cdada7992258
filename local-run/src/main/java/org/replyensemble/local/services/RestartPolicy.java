package org.replyensemble.local.services;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * When the supervisor starts a stopped service again: after a pause that doubles with each restart
 * in the window (1 s, 2 s, 4 s ... up to the maximum), and not at all once it has restarted
 * {@code maxRestarts} times within the window: a service that keeps crashing is a crash loop to
 * show, not to spin on. As compose's {@code restart: unless-stopped} restarts one container, with
 * the cap that compose lacks.
 */
public final class RestartPolicy {

    public static final RestartPolicy DEFAULT = new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 5,
            Duration.ofMinutes(10));

    /** What to do about a stop: restart after the delay (the n-th restart in the window), or give up. */
    public sealed interface Decision permits Restart, GiveUp {
    }

    public record Restart(Duration delay, int restartInWindow) implements Decision {
    }

    public record GiveUp(int restartsInWindow) implements Decision {
    }

    private final Duration firstDelay;
    private final Duration maxDelay;
    private final int maxRestarts;
    private final Duration window;
    private final Deque<Instant> restarts = new ArrayDeque<>();

    public RestartPolicy(Duration firstDelay, Duration maxDelay, int maxRestarts, Duration window) {
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
        this.maxRestarts = maxRestarts;
        this.window = window;
    }

    /** A fresh policy with the same settings, one per service. */
    public RestartPolicy copy() {
        return new RestartPolicy(firstDelay, maxDelay, maxRestarts, window);
    }

    public int maxRestarts() {
        return maxRestarts;
    }

    public Duration window() {
        return window;
    }

    /** The service stopped at {@code now}: decides, and counts the restart it decides on. */
    public synchronized Decision stopped(Instant now) {
        while (!restarts.isEmpty() && restarts.peekFirst().isBefore(now.minus(window))) {
            restarts.removeFirst();
        }
        if (restarts.size() >= maxRestarts) {
            return new GiveUp(restarts.size());
        }
        Duration delay = firstDelay.multipliedBy(1L << Math.min(restarts.size(), 20));
        restarts.addLast(now);
        return new Restart(delay.compareTo(maxDelay) > 0 ? maxDelay : delay, restarts.size());
    }
}
