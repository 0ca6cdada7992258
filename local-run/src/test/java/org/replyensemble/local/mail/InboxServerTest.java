package org.replyensemble.local.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Real SMTP in, real HTTP out: GreenMail on a free port and the inbox page over it. */
class InboxServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private MailCatcher catcher;
    private InboxServer inbox;

    @BeforeEach
    void start() {
        catcher = new MailCatcher(0).start();
        inbox = new InboxServer(catcher, 0).start();
    }

    @AfterEach
    void stop() {
        inbox.close();
        catcher.close();
    }

    private void send(String to, String subject, String text, String html) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(catcher.smtpPort()));
        MimeMessage message = new MimeMessage(Session.getInstance(props));
        message.setFrom(new InternetAddress("notifications@example.org", "Reply Ensemble"));
        message.setRecipients(Message.RecipientType.TO, to);
        message.setSubject(subject, "UTF-8");
        message.setHeader("In-Reply-To", "<post-1@example.org>");
        message.setHeader("List-Unsubscribe", "<http://localhost:8083/unsubscribe?token=t>");
        message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        MimeBodyPart textPart = new MimeBodyPart();
        textPart.setText(text, "UTF-8");
        MimeBodyPart htmlPart = new MimeBodyPart();
        htmlPart.setText(html, "UTF-8", "html");
        message.setContent(new MimeMultipart("alternative", textPart, htmlPart));
        Transport.send(message);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + inbox.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void showsReceivedMailNewestFirstEscaped() throws Exception {
        send("star@example.org", "New reply on <Vitamin K2>", "Paul wrote: hello", "<p>Paul wrote: <b>hello</b></p>");
        send("paul@example.org", "Arrow replied to your comment", "second ü", "<p>second <script>alert(1)</script></p>");
        assertThat(catcher.awaitMessages(2, 10_000)).isTrue();

        HttpResponse<String> list = get("/");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("New reply on &lt;Vitamin K2&gt;").doesNotContain("<Vitamin K2>");
        assertThat(list.body().indexOf("Arrow replied to your comment"))
                .isLessThan(list.body().indexOf("New reply on &lt;Vitamin K2&gt;"));

        List<?> api = JsonMapper.builder().build().readValue(get("/api/messages").body(), List.class);
        assertThat(api).hasSize(2);
        Map<?, ?> newest = (Map<?, ?>) api.get(0);
        assertThat(newest.get("to")).isEqualTo("paul@example.org");
        assertThat(newest.get("text")).isEqualTo("second ü");
        assertThat(newest.get("inReplyTo")).isEqualTo("<post-1@example.org>");
        assertThat(newest.get("listUnsubscribePost")).isEqualTo("List-Unsubscribe=One-Click");
        assertThat((String) newest.get("messageId")).isNotBlank();
        int id = ((Number) newest.get("id")).intValue();

        HttpResponse<String> page = get("/messages/" + id);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("&lt;http://localhost:8083/unsubscribe?token=t&gt;")
                .contains("<iframe sandbox=\"\"").doesNotContain("<script>");

        HttpResponse<String> html = get("/messages/" + id + "/html");
        assertThat(html.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).startsWith("sandbox"));
        assertThat(html.body()).contains("<script>alert(1)</script>");

        assertThat(get("/messages/999").statusCode()).isEqualTo(404);
        assertThat(get("/api/messages/" + id).body()).contains("Arrow replied to your comment");
    }
}
