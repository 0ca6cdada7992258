package org.replyensemble.local.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;

import org.replyensemble.local.Folders;
import org.replyensemble.local.Ports;
import org.replyensemble.local.Processes;
import org.replyensemble.local.Wait;

/**
 * A real single-node KRaft broker in its own JVM, started from the Kafka jars of Maven Central
 * (kafka_2.13 + kafka-tools, copied to local-run/target/kafka-lib): no Kafka download, no Docker.
 * Each start wipes the work folder and formats fresh storage with a new cluster id; {@link #stop()}
 * and {@link #restart()} take the same broker down and up again on its data (fault tests).
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final BrokerConfig config;
    private final Path workDir;
    private final Path logFile;
    private final String classpath;
    private final List<String> jvmOptions;
    private Process process;

    /**
     * @param classpath the broker's classpath, e.g. {@code local-run/target/kafka-lib/*}
     * @param workDir   wiped, then holds server.properties and the data
     * @param logFile   receives the broker's stdout and stderr
     */
    public KafkaBroker(int port, int controllerPort, String classpath, Path workDir, Path logFile, List<String> jvmOptions) {
        this.workDir = workDir.toAbsolutePath();
        this.config = new BrokerConfig(port, controllerPort, this.workDir.resolve("data"));
        this.classpath = classpath;
        this.logFile = logFile.toAbsolutePath();
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    public Path logFile() {
        return logFile;
    }

    public KafkaBroker start() {
        Ports.requireFree("Kafka broker", "KAFKA_PORT", config.port());
        Ports.requireFree("Kafka controller", "KAFKA_CONTROLLER_PORT", config.controllerPort());
        try {
            Folders.wipe(workDir);
            Files.createDirectories(workDir);
            Files.createDirectories(logFile.getParent());
            Path serverProperties = workDir.resolve("server.properties");
            Files.writeString(serverProperties, config.serverProperties());
            Path log4j2 = workDir.resolve("log4j2.properties");
            Files.writeString(log4j2, BrokerConfig.log4j2Properties());
            format(serverProperties, log4j2);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker", e);
        }
        return launch();
    }

    /**
     * Stops the broker process but keeps its data, so {@link #restart()} brings back the same
     * cluster: topics, records and committed offsets. A controlled shutdown (SIGTERM), like an
     * operator's restart; a kill after 30 s.
     */
    public void stop() {
        Processes.stop(process, 30);
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the broker again on the same ports and the data of the last {@link #start()}. */
    public KafkaBroker restart() {
        if (isRunning()) {
            throw new IllegalStateException("the Kafka broker is running; stop() it first");
        }
        if (!Files.isRegularFile(workDir.resolve("server.properties"))) {
            throw new IllegalStateException("the Kafka broker was never started in " + workDir);
        }
        Ports.requireFree("Kafka broker", "KAFKA_PORT", config.port());
        Ports.requireFree("Kafka controller", "KAFKA_CONTROLLER_PORT", config.controllerPort());
        return launch();
    }

    private KafkaBroker launch() {
        Path serverProperties = workDir.resolve("server.properties");
        Path log4j2 = workDir.resolve("log4j2.properties");
        try {
            process = java(log4j2, List.of("kafka.Kafka", serverProperties.toString()))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker", e);
        }
        boolean ready = Wait.until(READY_TIMEOUT, Duration.ofMillis(250),
                () -> !process.isAlive() || (Ports.accepts(config.port()) && ClusterProbe.answers(bootstrapServers())));
        if (!process.isAlive()) {
            throw new IllegalStateException("the Kafka broker stopped during start-up (exit code "
                    + process.exitValue() + "); see " + logFile);
        }
        if (!ready) {
            throw new IllegalStateException("the Kafka broker did not answer within " + READY_TIMEOUT.toSeconds()
                    + " s; see " + logFile);
        }
        return this;
    }

    private void format(Path serverProperties, Path log4j2) throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        Process format = java(log4j2, List.of("kafka.tools.StorageTool", "format", "--standalone",
                "-t", clusterId, "-c", serverProperties.toString()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        try {
            if (!format.waitFor(60, TimeUnit.SECONDS)) {
                format.destroyForcibly();
                throw new IllegalStateException("formatting the Kafka storage took over 60 s; see " + logFile);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting the Kafka storage", e);
        }
        if (format.exitValue() != 0) {
            throw new IllegalStateException("formatting the Kafka storage failed (exit code "
                    + format.exitValue() + "); see " + logFile);
        }
    }

    private ProcessBuilder java(Path log4j2, List<String> mainAndArgs) {
        List<String> command = new ArrayList<>();
        command.add(Processes.javaExecutable());
        command.addAll(jvmOptions);
        command.add("-Dlog4j2.configurationFile=" + log4j2.toUri());
        command.add("-cp");
        command.add(classpath);
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    }

    /** Stops the broker: SIGTERM (a controlled shutdown), then a kill after 30 s. */
    @Override
    public void close() {
        Processes.stop(process, 30);
    }
}
