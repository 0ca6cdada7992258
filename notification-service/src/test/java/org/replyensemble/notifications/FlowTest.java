package org.replyensemble.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.events.Topics;
import org.replyensemble.testing.SharedPostgres;
import org.replyensemble.testing.TestAccount;
import org.replyensemble.testing.TestIssuer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The service as deployed: events in through the broker, mail out to a real SMTP server
 * (GreenMail, refusing some recipients as real servers do), state in a real PostgreSQL.
 * Every flow test class extends this one, so they all share one Spring context and one SMTP
 * server; each test uses its own posts and its own mail domain, so no test sees another's mail.
 * The broker and the database are embedded or containers as TestInfrastructure decides; the SMTP
 * server is this JVM's GreenMail either way, because its refusals are a behaviour of its own that
 * no mail server image offers (TestMailServer is the switchable one, for tests that need no refusals).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=notification-service",
        "management.server.port=0",
        // The per-comment rules, one email per recipient per comment: flood control has its own test (FloodControlTest).
        "notifications.flood-control.enabled=false",
        // A secret of the tests' own: not the development one, so the production start-up check runs here too.
        "notifications.tokens.secrets=flow-tests-own-secret-not-the-development-one",
        "ensemble.erasure.key=" + FlowTest.ERASURE_KEY })
@AutoConfigureMockMvc
public abstract class FlowTest {

    /** The tests' own erasure key (post-service's in production): the tests hash addresses with it. */
    protected static final String ERASURE_KEY = "flow-tests-own-erasure-key-0123456789abcdef";
    protected static final GreenMail SMTP = startSmtp();
    protected static final Duration MAIL_WAIT = Duration.ofSeconds(30);
    /** The operator of /api/**, and an author, who may not call it. */
    protected static final TestAccount OLGA = TestAccount.operator("olga");
    protected static final TestAccount ANN = TestAccount.author("ann", "Ann Author", "ann@example.org");
    protected static final TestIssuer ISSUER = TestIssuer.shared();
    private static final AtomicInteger DOMAINS = new AtomicInteger();
    private static final Pattern CONFIRM_LINK = Pattern.compile("http://localhost:8083/confirm\\?token=([A-Za-z0-9_.-]+)");

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedPostgres.registerNewDatabase(registry, "notifications");
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
        TestAccount.properties(OLGA, ANN).forEach((key, value) -> registry.add(key, () -> value));
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", ISSUER::publicKeyLocation);
    }

    @Autowired
    protected KafkaTemplate<String, String> kafka;
    @Autowired
    protected MockMvc http;
    @Autowired
    protected JdbcClient jdbc;

    protected String domain;

    private static GreenMail startSmtp() {
        GreenMail smtp = new RefusingSmtpServer(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        Runtime.getRuntime().addShutdownHook(new Thread(smtp::stop, "test-smtp-stop"));
        return smtp;
    }

    @BeforeEach
    void newDomain() {
        domain = "t" + DOMAINS.incrementAndGet() + "." + getClass().getSimpleName().toLowerCase() + ".example.org";
    }

    protected String address(String name) {
        return name + "@" + domain;
    }

    // --- events in ---

    protected UUID publishPost(String title, String slug, String authorName, String authorEmail) {
        return publishPost(UUID.randomUUID(), title, slug, authorName, authorEmail, 1);
    }

    protected UUID publishPost(UUID postId, String title, String slug, String authorName, String authorEmail, long revision) {
        PostEvent.PostState state = new PostEvent.PostState(postId, slug, title, "body", new Person(authorName, authorEmail),
                Instant.now(), true, revision);
        send(Topics.POSTS, postId, EventJson.write(PostEvent.of(PostEvent.PUBLISHED, state, Instant.now())));
        return postId;
    }

    protected CommentEvent publishComment(UUID postId, int position, UUID parentId, String name, String email, boolean notify,
            String excerpt) {
        CommentEvent event = CommentEvent.posted(comment(postId, position, parentId, name, email, notify, excerpt));
        send(Topics.COMMENTS, postId, EventJson.write(event));
        return event;
    }

    protected static CommentEvent.CommentPosted comment(UUID postId, int position, UUID parentId, String name, String email,
            boolean notify, String excerpt) {
        return new CommentEvent.CommentPosted(UUID.randomUUID(), postId, parentId, position, new Person(name, email), notify,
                excerpt, Instant.now());
    }

    protected void send(String topic, UUID postId, String value) {
        kafka.send(topic, postId.toString(), value).join();
    }

    // --- the operator ---

    /** An operator's call: its account, and JSON, as the API's clients send it. */
    protected static MockHttpServletRequestBuilder operator(MockHttpServletRequestBuilder request) {
        return request.header(HttpHeaders.AUTHORIZATION, OLGA.basic()).contentType(MediaType.APPLICATION_JSON);
    }

    /** What support staff do for an address whose owner asked them (POST /api/addresses/confirmations). */
    protected void confirm(String email, String name) throws Exception {
        http.perform(operator(post("/api/addresses/confirmations"))
                        .content("{\"email\":\"" + email + "\",\"name\":\"" + name + "\"}"))
                .andExpect(status().isOk());
    }

    // --- mail out ---

    protected List<MimeMessage> mailTo(String address) {
        return ReceivedMail.to(SMTP.getReceivedMessages(), address);
    }

    protected List<MimeMessage> mailToDomain() {
        return List.of(SMTP.getReceivedMessagesForDomain(domain));
    }

    /**
     * Waits for the address's emails to settle, then counts them: at least {@code count} received and
     * no delivery to it still PENDING (due or claimed), so nothing more can go out to it and a late
     * duplicate would be counted.
     */
    protected void awaitMail(String address, int count) {
        await().atMost(MAIL_WAIT).until(() -> mailTo(address).size() >= count && jdbc.sql(
                        "select count(*) from delivery where recipient_email = :email and status = 'PENDING'")
                .param("email", address.strip().toLowerCase()).query(Long.class).single() == 0);
        assertThat(mailTo(address)).hasSize(count);
    }

    /** Waits until the thread stage has turned the post's first {@code comments} comments into deliveries. */
    protected void awaitFannedOut(UUID postId, int comments) {
        await().atMost(MAIL_WAIT).until(() -> jdbc.sql("select coalesce(max(fanned_out_position), -1) from thread where post_id = :id")
                .param("id", postId).query(Integer.class).single() >= comments);
    }

    /** {@link #awaitFannedOut} then {@link #awaitSettled(UUID...)}, for one post. */
    protected void awaitSettled(UUID postId, int comments) {
        awaitFannedOut(postId, comments);
        awaitSettled(postId);
    }

    /**
     * Waits until nothing of these posts is left to send (no PENDING delivery) and the SMTP server
     * holds exactly what was marked SENT: only then are counts final, so a late duplicate fails.
     * Call it once the posts' comments are fanned out ({@link #awaitFannedOut}).
     */
    protected void awaitSettled(UUID... postIds) {
        List<UUID> posts = List.of(postIds);
        await().atMost(MAIL_WAIT).until(() -> count("select count(*) from delivery where post_id in (:posts) and status = 'PENDING'",
                posts) == 0 && count("select count(*) from delivery where post_id in (:posts) and status = 'SENT'", posts)
                == mailToDomain().size());
    }

    protected long count(String sql, List<UUID> posts) {
        return jdbc.sql(sql).param("posts", posts).query(Long.class).single();
    }

    protected String deliveryStatus(UUID commentId, String recipient) {
        return jdbc.sql("select status from delivery where comment_id = :id and recipient_email = :email")
                .param("id", commentId).param("email", recipient).query(String.class).optional().orElse(null);
    }

    protected static boolean isConfirmation(MimeMessage message) {
        return String.valueOf(ReceivedMail.header(message, "Message-ID")).startsWith("<confirm-");
    }

    /** The token of the confirmation link in a received confirmation email. */
    protected static String confirmationToken(MimeMessage message) {
        Matcher link = CONFIRM_LINK.matcher(ReceivedMail.part(message, "text/plain"));
        assertThat(link.find()).as("a confirmation link in the email").isTrue();
        return link.group(1);
    }
}
