package org.replyensemble.bench.raw;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.replyensemble.bench.raw.endpoint.EmptyEndpointApplication;
import org.replyensemble.local.Ports;
import org.replyensemble.local.Processes;
import org.replyensemble.local.Wait;

/** {@link EmptyEndpointApplication} in its own JVM, from the benchmark's own classpath. */
public final class EmptyEndpointProcess implements AutoCloseable {

    private final int port = Ports.anyFree();
    private Process process;

    public EmptyEndpointProcess start(List<String> jvmOptions, Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(Processes.javaExecutable());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EmptyEndpointApplication.class.getName(),
                "--server.port=" + port, "--spring.main.banner-mode=off"));
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the empty endpoint", e);
        }
        HttpClient client = HttpClient.newHttpClient();
        boolean up = Wait.until(Duration.ofSeconds(90), Duration.ofMillis(250), () -> {
            try {
                return client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/posts/" + new java.util.UUID(0, 0) + "/comments"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 201;
            } catch (Exception e) {
                return false;
            }
        });
        if (!up) {
            close();
            throw new IllegalStateException("the empty endpoint did not start; see " + logFile);
        }
        return this;
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    @Override
    public void close() {
        Processes.stop(process, 10);
    }
}
