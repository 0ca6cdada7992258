package org.replyensemble.local.services;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts a service again when its process stops without being asked to (a crash, an OOM kill, a
 * SIGKILL), with a growing pause and a cap ({@link RestartPolicy}), while the other services keep
 * running; the console says what happens. The restarted process gets the same port, database,
 * Kafka group and settings, so it carries on where the dead one stopped: its consumer resumes from
 * the group's committed offsets and the deliveries it had claimed come back after the claim lease.
 * <p>
 * Close it before the services on shutdown, so stopping them is not taken for a crash.
 */
public final class Supervisor implements AutoCloseable {

    /** A JVM ends with 128 + 2 when SIGINT stopped it. */
    private static final int SIGINT_EXIT = 130;

    private final RestartPolicy policy;
    private final Duration healthyTimeout;
    private final Consumer<String> console;
    private final Clock clock;
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "supervisor");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    public Supervisor(RestartPolicy policy, Duration healthyTimeout, Consumer<String> console, Clock clock) {
        this.policy = policy;
        this.healthyTimeout = healthyTimeout;
        this.console = console;
        this.clock = clock;
    }

    /** Watches a started service from now on. */
    public ServiceProcess watch(ServiceProcess service) {
        RestartPolicy own = policy.copy();
        service.onUnexpectedExit(exitCode -> stopped(service, exitCode, own));
        return service;
    }

    private void stopped(ServiceProcess service, int exitCode, RestartPolicy own) {
        if (closed) {
            return;
        }
        String name = service.spec().name();
        if (exitCode == SIGINT_EXIT) {
            // Ctrl-C reaches the services too (one process group), a moment before the launcher's own shutdown.
            console.accept(name + " stopped on Ctrl-C (SIGINT): not restarting it");
            return;
        }
        RestartPolicy.Decision decision = own.stopped(clock.instant());
        if (decision instanceof RestartPolicy.Restart restart) {
            console.accept("!! " + name + " stopped (exit code " + exitCode + "); restarting it in "
                    + seconds(restart.delay()) + " (restart " + restart.restartInWindow() + " of at most "
                    + own.maxRestarts() + " in " + own.window().toMinutes() + " min; the others keep running; log: "
                    + service.logFile() + ")");
            restarts.schedule(() -> restart(service, restart), restart.delay().toMillis(), TimeUnit.MILLISECONDS);
        } else {
            console.accept("!! " + name + " stopped (exit code " + exitCode + ") after " + own.maxRestarts()
                    + " restarts in " + own.window().toMinutes() + " min: a crash loop, not restarting it again."
                    + " The others keep running. See " + service.logFile()
                    + "; fix the cause and start the local run again.");
        }
    }

    private void restart(ServiceProcess service, RestartPolicy.Restart restart) {
        if (closed) {
            return;
        }
        String name = service.spec().name();
        long started = System.nanoTime();
        try {
            service.restart();
            console.accept(name + " restarted (pid " + service.pid() + "), waiting until it is healthy ...");
            service.awaitHealthy(healthyTimeout);
            console.accept(name + " is healthy again after " + seconds(Duration.ofNanos(System.nanoTime() - started))
                    + " (restart " + restart.restartInWindow() + ")");
        } catch (RuntimeException e) {
            // A process that died during start-up has been reported through its exit already.
            if (!closed && service.isAlive()) {
                console.accept("!! " + name + " is running again but not healthy: " + e.getMessage());
            }
        }
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() < 1000 ? duration.toMillis() + " ms" : duration.toSeconds() + " s";
    }

    @Override
    public void close() {
        closed = true;
        restarts.shutdownNow();
    }
}
