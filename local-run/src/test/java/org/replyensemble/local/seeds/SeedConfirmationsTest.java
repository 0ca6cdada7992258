package org.replyensemble.local.seeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.replyensemble.local.accounts.Credentials;
import org.replyensemble.local.mail.CaughtMail;
import tools.jackson.databind.json.JsonMapper;

/** Confirming the seed addresses against a stand-in for notification-service's pages and operator call. */
class SeedConfirmationsTest {

    private static final Credentials OPERATOR = Credentials.basic("operator", "secret");

    private final SeedThread thread = SeedThread.read(SeedFiles.thread());
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private String base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/confirm", this::confirmPage);
        server.createContext("/api/addresses/confirmations", this::operator);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void confirmPage(HttpExchange exchange) throws IOException {
        try (exchange) {
            String token = exchange.getRequestURI().getQuery().replace("token=", "");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " " + token + " " + body);
            String page = exchange.getRequestMethod().equals("GET")
                    ? "<form method=\"post\" action=\"/confirm?token=" + token + "\"><button type=\"submit\" name=\"decision\" "
                            + "value=\"confirm\">Confirm my address</button></form>"
                    : "<h1>Your address is confirmed</h1>";
            respond(exchange, 200, page);
        }
    }

    private void operator(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<?, ?> body = JsonMapper.builder().build().readValue(exchange.getRequestBody().readAllBytes(), Map.class);
            requests.add("operator " + body.get("email") + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            respond(exchange, 200, "{\"confirmed\":true}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private CaughtMail confirmationMail(String to, String token) {
        return new CaughtMail(1, Instant.now(), "n@replyensemble.local", to, "Please confirm your email address",
                "<confirm-x." + token + "@replyensemble.local>", null, null, null, null,
                "If that was you, confirm:\n" + base + "/confirm?token=" + token + "\n", null);
    }

    @Test
    void theSeedsCommentersExceptThePostAuthorAreConfirmed() {
        assertThat(SeedConfirmations.addressesToConfirm(thread)).containsExactly("star@example.org", "paul@example.org",
                "chuck@example.org", "jack.avery@example.org", "jane.perry@example.org", "moonglow@example.org",
                "gretchen@example.org");
    }

    @Test
    void opensEachConfirmationLinkThenSubmitsItsForm() {
        List<CaughtMail> inbox = List.of(confirmationMail("star@example.org", "TOKEN-STAR"),
                confirmationMail("paul@example.org", "TOKEN-PAUL"));

        new SeedConfirmations(OPERATOR).confirmByMail(() -> inbox, Set.of("paul@example.org"), Duration.ofSeconds(5));

        assertThat(requests).containsExactly("GET TOKEN-PAUL ", "POST TOKEN-PAUL decision=confirm");
    }

    @Test
    void saysWhichConfirmationEmailNeverCame() {
        assertThatThrownBy(() -> new SeedConfirmations(OPERATOR).confirmByMail(List::of, Set.of("star@example.org"),
                Duration.ofMillis(300)))
                .isInstanceOf(ReplayException.class).hasMessageContaining("s***@example.org");
    }

    @Test
    void theOperatorCallCarriesTheAddressInTheBodyAndTheOperatorsCredentials() {
        new SeedConfirmations(OPERATOR).confirmByOperator(java.net.URI.create(base + "/"), Set.of("star@example.org"));
        new SeedConfirmations(OPERATOR).confirmByOperator(java.net.URI.create(base), Set.of("paul@example.org"));

        assertThat(requests).containsExactly("operator star@example.org Basic b3BlcmF0b3I6c2VjcmV0",
                "operator paul@example.org Basic b3BlcmF0b3I6c2VjcmV0");
    }
}
