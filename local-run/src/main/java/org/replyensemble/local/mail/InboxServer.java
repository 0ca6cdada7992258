package org.replyensemble.local.mail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.json.JsonMapper;

import org.replyensemble.local.Ports;

/**
 * The page where a person reads the mail the local run sent, over the in-process {@link MailCatcher}.
 * <p>
 * Hand-written on purpose, with the JDK's own HTTP server: GreenMail standalone answers SMTP and a
 * REST API but has no inbox a person would read (its web root is a Swagger page); MailDev is a
 * real inbox but needs Node; Mailpit (used by docker-compose.yml) needs Docker or a separate
 * binary. The local run needs nothing but a JDK, so it serves these few pages itself
 * (see STACK.md, "A mail page for the local run").
 * <ul>
 *   <li>{@code GET /} the list, newest first (time, to, subject)</li>
 *   <li>{@code GET /messages/{id}} headers, the text part, the HTML part in a sandboxed iframe</li>
 *   <li>{@code GET /messages/{id}/html} the HTML part alone, under a sandboxing Content-Security-Policy</li>
 *   <li>{@code GET /messages/{id}/raw} the decoded headers and parts as plain text</li>
 *   <li>{@code GET /api/messages} and {@code /api/messages/{id}} the same as JSON</li>
 * </ul>
 */
public final class InboxServer implements AutoCloseable {

    private static final Pattern MESSAGE = Pattern.compile("/messages/(\\d+)(/html|/raw)?");
    private static final Pattern API_MESSAGE = Pattern.compile("/api/messages/(\\d+)");

    private final MailCatcher catcher;
    private final HttpServer server;
    private final JsonMapper json = JsonMapper.builder().build();

    /** @param port the port, or 0 for any free port */
    public InboxServer(MailCatcher catcher, int port) {
        if (port != 0) {
            Ports.requireFree("mail page", "MAIL_UI_PORT", port);
        }
        this.catcher = catcher;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the mail page on port " + port, e);
        }
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "inbox-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
    }

    public InboxServer start() {
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "text/plain; charset=utf-8", "GET only");
                return;
            }
            route(exchange, exchange.getRequestURI().getPath());
        } catch (RuntimeException e) {
            send(exchange, 500, "text/plain; charset=utf-8", "error: " + e);
        }
    }

    private void route(HttpExchange exchange, String path) throws IOException {
        if (path.equals("/") || path.equals("/messages")) {
            send(exchange, 200, "text/html; charset=utf-8", InboxPages.list(catcher.messages()));
            return;
        }
        if (path.equals("/api/messages")) {
            List<Map<String, Object>> all = catcher.messages().stream().map(InboxServer::asJson).toList();
            send(exchange, 200, "application/json", json.writeValueAsString(all));
            return;
        }
        Matcher api = API_MESSAGE.matcher(path);
        if (api.matches()) {
            Optional<CaughtMail> m = catcher.message(Integer.parseInt(api.group(1)));
            if (m.isPresent()) {
                send(exchange, 200, "application/json", json.writeValueAsString(asJson(m.get())));
            } else {
                send(exchange, 404, "application/json", "{\"error\":\"no such message\"}");
            }
            return;
        }
        Matcher page = MESSAGE.matcher(path);
        if (page.matches()) {
            Optional<CaughtMail> m = catcher.message(Integer.parseInt(page.group(1)));
            if (m.isEmpty()) {
                send(exchange, 404, "text/html; charset=utf-8", InboxPages.notFound());
            } else if ("/html".equals(page.group(2))) {
                // the mail's own HTML: sandboxed even when opened directly, no scripts, no requests out
                exchange.getResponseHeaders().set("Content-Security-Policy",
                        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:");
                send(exchange, 200, "text/html; charset=utf-8", m.get().html() == null ? "" : m.get().html());
            } else if ("/raw".equals(page.group(2))) {
                send(exchange, 200, "text/plain; charset=utf-8", raw(m.get()));
            } else {
                send(exchange, 200, "text/html; charset=utf-8", InboxPages.message(m.get()));
            }
            return;
        }
        send(exchange, 404, "text/html; charset=utf-8", InboxPages.notFound());
    }

    static Map<String, Object> asJson(CaughtMail m) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", m.id());
        map.put("receivedAt", m.receivedAt() == null ? null : m.receivedAt().toString());
        map.put("from", m.from());
        map.put("to", m.to());
        map.put("subject", m.subject());
        map.put("messageId", m.messageId());
        map.put("inReplyTo", m.inReplyTo());
        map.put("references", m.references());
        map.put("listUnsubscribe", m.listUnsubscribe());
        map.put("listUnsubscribePost", m.listUnsubscribePost());
        map.put("text", m.text());
        map.put("html", m.html());
        return map;
    }

    private static String raw(CaughtMail m) {
        return "From: " + m.from() + "\nTo: " + m.to() + "\nSubject: " + m.subject()
                + "\nMessage-ID: " + m.messageId() + "\nIn-Reply-To: " + m.inReplyTo()
                + "\nReferences: " + m.references() + "\nList-Unsubscribe: " + m.listUnsubscribe()
                + "\nList-Unsubscribe-Post: " + m.listUnsubscribePost()
                + "\n\n--- text ---\n" + m.text() + "\n\n--- html ---\n" + m.html() + "\n";
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
