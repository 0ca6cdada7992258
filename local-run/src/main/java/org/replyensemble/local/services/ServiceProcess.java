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

import org.replyensemble.local.Ports;
import org.replyensemble.local.Processes;
import org.replyensemble.local.Wait;

/** One service running as its own {@code java -jar} process, its output in its own log file. */
public final class ServiceProcess implements AutoCloseable {

    private final ServiceSpec spec;
    private final Path jar;
    private final Path logFile;
    private Process process;
    private volatile boolean stopping;

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
        List<String> command = new ArrayList<>();
        command.add(Processes.javaExecutable());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(logFile.getParent());
            Files.deleteIfExists(logFile);
            process = builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + spec.name(), e);
        }
        process.onExit().thenAccept(p -> {
            if (!stopping) {
                System.err.println("!! " + spec.name() + " stopped (exit code " + p.exitValue() + "); see " + logFile);
            }
        });
        return this;
    }

    /**
     * Waits until GET /actuator/health on the management port answers 200 UP (the whole health, the
     * database included; the public port only has the probes); fails naming the service and its log otherwise.
     */
    public void awaitHealthy(Duration timeout) {
        boolean up = Wait.until(timeout, Duration.ofMillis(500), () -> !process.isAlive() || HealthCheck.isUp(spec.managementUrl()));
        if (!process.isAlive()) {
            throw new IllegalStateException(spec.name() + " stopped during start-up (exit code "
                    + process.exitValue() + "); see " + logFile);
        }
        if (!up) {
            throw new IllegalStateException(spec.name() + " was not healthy (" + spec.managementUrl()
                    + "/actuator/health) within " + timeout.toSeconds() + " s; see " + logFile);
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
