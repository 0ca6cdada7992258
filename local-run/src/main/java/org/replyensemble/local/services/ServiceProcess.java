package org.replyensemble.local.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import org.replyensemble.local.Ports;
import org.replyensemble.local.Processes;
import org.replyensemble.local.Wait;

/** One service running as its own {@code java -jar} process, its output in its own log file. */
public final class ServiceProcess implements AutoCloseable {

    private final ServiceSpec spec;
    private final Path jar;
    private final Path logFile;
    private volatile Process process;
    private volatile boolean stopping;
    private List<String> jvmOptions;
    private Map<String, String> environment;
    private volatile IntConsumer unexpectedExit;

    public ServiceProcess(ServiceSpec spec, Path jar, Path logFile) {
        this.spec = spec;
        this.jar = jar;
        this.logFile = logFile.toAbsolutePath();
    }

    public ServiceSpec spec() {
        return spec;
    }

    public Path logFile() {
        return logFile;
    }

    public ServiceProcess start(List<String> jvmOptions, Map<String, String> environment) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(spec.name() + ": " + jar + " is missing; build it first with "
                    + "./mvnw -DskipTests install");
        }
        Ports.requireFree(spec.name(), spec.portVariable(false), spec.port());
        Ports.requireFree(spec.name() + " (management)", spec.portVariable(true), spec.managementPort());
        this.jvmOptions = List.copyOf(jvmOptions);
        this.environment = Map.copyOf(environment);
        try {
            Files.createDirectories(logFile.getParent());
            Files.deleteIfExists(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + logFile, e);
        }
        launch();
        return this;
    }

    /**
     * Starts the process again with the same settings after it stopped (the supervisor's restart);
     * its output goes on in the same log.
     */
    public void restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(spec.name() + " is still running (pid " + process.pid() + ")");
        }
        stopping = false;
        launch();
    }

    /** Called with the exit code when the process stops without {@link #close()} or {@link #kill()}; by default it is printed. */
    public void onUnexpectedExit(IntConsumer listener) {
        this.unexpectedExit = listener;
    }

    public long pid() {
        return process.pid();
    }

    private void launch() {
        List<String> command = new ArrayList<>();
        command.add(Processes.javaExecutable());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process started;
        try {
            started = builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + spec.name(), e);
        }
        process = started;
        started.onExit().thenAccept(p -> {
            if (stopping || p != process) {
                return;
            }
            IntConsumer listener = unexpectedExit;
            if (listener != null) {
                listener.accept(p.exitValue());
            } else {
                System.err.println("!! " + spec.name() + " stopped (exit code " + p.exitValue() + "); see " + logFile);
            }
        });
    }

    /**
     * Waits until the service is ready (GET /actuator/health/readiness on the management port answers
     * 200 UP: started, and its database reachable); fails naming the service and its log otherwise.
     * Readiness rather than the whole health, whose kafka and mail components go DOWN in an outage
     * the service rides out: a restart while the mail server is away must still count as up.
     */
    public void awaitHealthy(Duration timeout) {
        boolean up = Wait.until(timeout, Duration.ofMillis(500), () -> !process.isAlive() || HealthCheck.isUp(spec.managementUrl()));
        if (!process.isAlive()) {
            throw new IllegalStateException(spec.name() + " stopped during start-up (exit code "
                    + process.exitValue() + "); see " + logFile);
        }
        if (!up) {
            throw new IllegalStateException(spec.name() + " was not healthy (" + spec.managementUrl()
                    + "/actuator/health/readiness) within " + timeout.toSeconds() + " s; see " + logFile);
        }
    }

    /** SIGKILL: no graceful shutdown at all, as when a machine or a container dies (fault tests). */
    public void kill() {
        stopping = true;
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM (Spring's graceful shutdown), then a kill after 20 s. */
    @Override
    public void close() {
        stopping = true;
        Processes.stop(process, 20);
    }
}
