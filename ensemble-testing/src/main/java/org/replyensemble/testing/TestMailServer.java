package org.replyensemble.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real SMTP server for a test: GreenMail in this JVM, or the {@code greenmail/standalone} image
 * (the same GreenMail, read through its REST API), as {@link TestInfrastructure} decides. It keeps
 * one SMTP port for its whole life, so a test can {@link #stop()} it ("the mail server is down")
 * and {@link #start()} it again where the services expect it; like GreenMail, a stop forgets the
 * mail received so far.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final TestMailServer SMTP = TestMailServer.perClass();   // started before the class, stopped after
 * ... SMTP.host(), SMTP.smtpPort(), SMTP.getReceivedMessages()
 * </pre>
 */
public final class TestMailServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private static final int SMTP = 3025;
    private static final int API = 8080;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Session SESSION = Session.getInstance(new Properties());

    private final int smtpPort = freePort();
    private final int apiPort = freePort();
    private final boolean perClass;
    private GreenMail embedded;
    private GenericContainer<?> container;
    private HttpClient http;
    /** Messages already read through the API, by mailbox and uid: a fault test reads thousands, again and again. */
    private final Map<String, MimeMessage> parsed = new HashMap<>();

    private TestMailServer(boolean perClass) {
        this.perClass = perClass;
    }

    /** As a JUnit extension: running for the tests of one class. */
    public static TestMailServer perClass() {
        return new TestMailServer(true);
    }

    /** Not started yet: its port is reserved, {@link #start()} opens it. */
    public static TestMailServer onFreePort() {
        return new TestMailServer(false);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (perClass) {
            start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass) {
            stop();
        }
    }

    public synchronized TestMailServer start() {
        if (isRunning()) {
            return this;
        }
        if (TestInfrastructure.containers()) {
            container = new GenericContainer<>(TestInfrastructure.image("greenmail"))
                    .withEnv("GREENMAIL_OPTS", "-Dgreenmail.setup.test.smtp"
                            + " -Dgreenmail.hostname=0.0.0.0 -Dgreenmail.auth.disabled")
                    .withEnv("JAVA_OPTS", "-Djava.net.preferIPv4Stack=true -Xmx256m")
                    .withExposedPorts(SMTP, API)
                    .waitingFor(Wait.forHttp("/api/service/readiness").forPort(API).forStatusCode(200));
            // Fixed host ports: the services keep the SMTP address across a stop and a start.
            container.setPortBindings(List.of(smtpPort + ":" + SMTP, apiPort + ":" + API));
            container.start();
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        } else {
            embedded = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            embedded.start();
        }
        return this;
    }

    /** Refuses connections from now on and forgets the mail received; the port stays reserved for {@link #start()}. */
    public synchronized void stop() {
        if (container != null) {
            container.stop();
            container = null;
            parsed.clear();
        }
        if (embedded != null) {
            embedded.stop();
            embedded = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return container != null || embedded != null;
    }

    /** The host the services send to. */
    public String host() {
        return TestInfrastructure.containers() ? DockerClientFactory.instance().dockerHostIpAddress() : "127.0.0.1";
    }

    public int smtpPort() {
        return smtpPort;
    }

    /** Every message received since the last start, one per recipient mailbox (as GreenMail's own method). */
    public synchronized MimeMessage[] getReceivedMessages() {
        if (embedded != null) {
            return embedded.getReceivedMessages();
        }
        if (container == null) {
            throw new IllegalStateException("the mail server is not running");
        }
        List<MimeMessage> received = new ArrayList<>();
        for (JsonNode user : get("/api/user")) {
            String mailbox = URLEncoder.encode(user.get("email").asString(), StandardCharsets.UTF_8);
            for (JsonNode message : get("/api/user/" + mailbox + "/messages/INBOX")) {
                received.add(parsed.computeIfAbsent(mailbox + " " + message.get("uid").asString(),
                        key -> parse(message.get("mimeMessage").asString())));
            }
        }
        return received.toArray(MimeMessage[]::new);
    }

    private JsonNode get(String path) {
        URI uri = URI.create("http://" + host() + ":" + apiPort + path);
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + " answered " + answer.statusCode() + ": " + answer.body());
            }
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static MimeMessage parse(String raw) {
        try {
            return new ReceivedMessage(raw);
        } catch (MessagingException e) {
            throw new IllegalStateException("unreadable message from the mail server", e);
        }
    }

    /**
     * A message read through GreenMail's API, which gives the raw message but not the time it was
     * received (what {@link MimeMessage#getReceivedDate()} of the embedded GreenMail answers).
     * GreenMail's SMTP server writes that time into the trace header it puts on top of every
     * message ({@code Received: from <client> (HELO <name>); <java.util.Date#toString()>}): read
     * from there, to the second.
     */
    private static final class ReceivedMessage extends MimeMessage {

        private static final DateTimeFormatter DATE_TO_STRING = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss zzz yyyy", Locale.ROOT);

        ReceivedMessage(String raw) throws MessagingException {
            super(SESSION, new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public Date getReceivedDate() throws MessagingException {
            String[] trace = getHeader("Received");
            if (trace == null || trace.length == 0) {
                return null;
            }
            String received = MimeUtility.unfold(trace[0]);
            String date = received.substring(received.lastIndexOf(';') + 1).strip();
            try {
                return Date.from(ZonedDateTime.parse(date, DATE_TO_STRING).toInstant());
            } catch (DateTimeParseException e) {
                throw new MessagingException("no time of receipt in the trace header: " + received, e);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
