package org.replyensemble.faults;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * docker-compose.yml driven the way an operator drives it: {@code docker compose} (v2) where the
 * plugin exists, {@code docker-compose} (v1) otherwise, in the repository's root, with the
 * operator's override files after it. Everything it prints goes to {@code target/faults/logs/compose.log}.
 */
final class Compose {

    private final Path root;
    private final Path log;
    private final List<String> command;
    private final Map<String, String> environment;

    /**
     * {@code environment}: what an operator exports before {@code up} (the secrets the file requires);
     * {@code overrides}: compose files layered over docker-compose.yml ({@code -f}), as an operator's own settings.
     */
    Compose(Path root, Path log, Map<String, String> environment, List<Path> overrides) {
        this.root = root;
        this.log = log;
        this.environment = environment;
        List<String> base = new ArrayList<>(exitCode(List.of("docker", "compose", "version")) == 0
                ? List.of("docker", "compose") : List.of("docker-compose"));
        base.addAll(List.of("-f", root.resolve("docker-compose.yml").toString()));
        overrides.forEach(file -> base.addAll(List.of("-f", file.toAbsolutePath().toString())));
        this.command = List.copyOf(base);
        try {
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String command() {
        return String.join(" ", command);
    }

    /** Runs {@code <compose> args...} and fails unless it succeeds. */
    void run(String... args) {
        int exit = execute(with(command, args), log.toFile(), Duration.ofMinutes(30));
        if (exit != 0) {
            throw new AssertionError(command() + " " + String.join(" ", args) + " exited with " + exit + "; see " + log);
        }
    }

    /** The ids of a service's containers, running or not. */
    List<String> containers(String service) {
        return lines(output(with(command, "ps", "-q", service)));
    }

    /** Docker's view of a container: {@code docker inspect -f <template> id}. */
    String inspect(String container, String template) {
        return output(List.of("docker", "inspect", "-f", template, container)).strip();
    }

    /** Waits until the service has this many containers and each of them passes its healthcheck. */
    void awaitHealthy(String service, int instances, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofSeconds(2)).until(() -> {
            List<String> ids = containers(service);
            return ids.size() == instances && ids.stream().allMatch(id -> "healthy".equals(inspect(id, "{{.State.Health.Status}}")));
        });
    }

    /** The last lines of every service's log, into the compose log (for a failed run). */
    void saveLogs() {
        execute(with(command, "logs", "--no-color", "--tail", "300"), log.toFile(), Duration.ofMinutes(2));
    }

    private List<String> with(List<String> base, String... args) {
        List<String> all = new ArrayList<>(base);
        all.addAll(Arrays.asList(args));
        return all;
    }

    private int execute(List<String> args, java.io.File output, Duration timeout) {
        try {
            ProcessBuilder builder = new ProcessBuilder(args).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output));
            builder.environment().putAll(environment);
            Files.writeString(output.toPath(), "$ " + String.join(" ", args) + System.lineSeparator(),
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", args) + " did not finish within " + timeout);
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String output(List<String> args, Map<String, String> env) {
        try {
            ProcessBuilder builder = new ProcessBuilder(args).directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().putAll(env);
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String output(List<String> args) {
        return output(args, environment);
    }

    private static int exitCode(List<String> args) {
        try {
            Process process = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
