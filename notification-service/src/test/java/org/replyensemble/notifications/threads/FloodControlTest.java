package org.replyensemble.notifications.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.notifications.ReceivedMail;
import org.replyensemble.notifications.confirmations.ConfirmedBy;
import org.replyensemble.notifications.confirmations.Confirmations;
import org.replyensemble.notifications.preferences.Preferences;
import org.replyensemble.notifications.preferences.ThreadMode;
import org.replyensemble.testing.SharedPostgres;
import org.replyensemble.testing.TestAccount;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Flood control as a recipient sees it, with the default limit (3 thread updates at once per window)
 * and a short window: direct replies at once, the 4th and later updates of a window folded into one
 * summary sent once when the window closes, nothing for an address that unsubscribed meanwhile, and
 * the seed thread's flood-control expectation.
 * The one Spring context with flood control on (the flow tests keep the per-comment rules): events
 * are recorded directly (listeners off, a group of its own, like SmtpOutageTest) so this context
 * never competes with the others for the shared broker's records; its own SMTP server.
 */
@SpringBootTest(properties = {
        "spring.config.name=notification-service",
        "management.server.port=0",
        "spring.kafka.listener.auto-startup=false",
        "spring.kafka.consumer.group-id=notification-service-flood-control",
        "spring.mail.host=127.0.0.1",
        "notifications.tokens.secrets=flood-control-tests-own-secret-0123456789",
        "notifications.delivery.poll-interval=100ms",
        "notifications.flood-control.enabled=true",
        "notifications.flood-control.updates-per-window=3",
        "notifications.flood-control.window=5s",
        // Fewer than the default 20, so the seed thread's largest summary (9 comments) lists only its latest.
        "notifications.flood-control.listed-per-summary=3",
        // The claim race test holds a thread's lock as long as it needs: the sender waits for it rather than retrying.
        "notifications.delivery.summary-lock-wait=60s",
        "ensemble.erasure.key=flood-control-tests-own-erasure-key-0123456789" })
@AutoConfigureMockMvc
class FloodControlTest {

    /** The operator who reads the delivery log. */
    private static final TestAccount OPERATOR = TestAccount.operator("flood-control-operator");

    private static final GreenMail SMTP = startSmtp();
    private static final String TITLE = "Vitamin K2 and bones";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedPostgres.registerNewDatabase(registry, "notifications");
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
        TestAccount.properties(OPERATOR).forEach((key, value) -> registry.add(key, () -> value));
    }

    @Autowired
    Threads threads;
    @Autowired
    Preferences preferences;
    @Autowired
    Confirmations confirmations;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MockMvc http;
    @Autowired
    DataSource dataSource;

    @Test
    void directRepliesGoAtOnceAndTheFourthAndLaterUpdatesOfAWindowGoInOneSummaryWhenItCloses() {
        String olga = "olga@summary.example.org";
        UUID postId = post("vitamin-k2", olga);
        Instant t0 = Instant.now();
        CommentEvent mine = comment(postId, 1, null, "Olga", olga, true, "I wrote this post", t0);
        // Five thread updates for Olga (top-level comments by Bob, who asked for nothing), then a direct reply.
        CommentEvent[] updates = new CommentEvent[5];
        for (int i = 0; i < 5; i++) {
            updates[i] = comment(postId, 2 + i, null, "Bob", "bob@summary.example.org", false, "update " + (i + 1),
                    t0.plusMillis(10L * (i + 1)));
        }
        CommentEvent reply = comment(postId, 7, mine.comment().id(), "Bob", "bob@summary.example.org", false, "answer to you",
                t0.plusMillis(100));

        // Recorded while the window is open: the 4th and 5th updates are carried by one summary (no delivery
        // row of their own: the log derives them from the thread), the reply is not.
        assertThat(status(updates[2], olga)).isIn("PENDING", "SENT");
        assertThat(rows(updates[3], olga)).isZero();
        assertThat(rows(updates[4], olga)).isZero();
        assertThat(jdbc.sql("select reason from delivery where comment_id = :id and recipient_email = :email")
                .param("id", reply.comment().id()).param("email", olga).query(String.class).single()).isEqualTo("DIRECT_REPLY");
        assertThat(status(reply, olga)).isIn("PENDING", "SENT");
        List<Long> summaries = summaries(postId, olga);
        assertThat(summaries).hasSize(1);
        assertThat(carriedInTheLog(summaries.get(0))).containsExactly(
                updates[3].comment().id() + " FOLDED carried by summary " + summaries.get(0),
                updates[4].comment().id() + " FOLDED carried by summary " + summaries.get(0));
        // Folding, Olga is quiet until her window (opened by update 1) closes: the next comments do not read her.
        // (PostgreSQL keeps microseconds, rounded.)
        assertThat(quietUntil(postId, olga)).isCloseTo(updates[0].comment().createdAt().plusSeconds(5), within(1, ChronoUnit.MICROS));

        // Settled: the summary was sent (its window closed), and nothing more arrives after it.
        await().atMost(Duration.ofSeconds(30)).until(() -> "SENT".equals(summaryStatus(summaries.get(0))) && mailTo(olga).size() >= 5);
        // The sender's claim fixed what the summary carries: Olga is read again, so a late update is not lost.
        assertThat(quietUntil(postId, olga)).isNull();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> mailTo(olga).size() == 5);
        List<MimeMessage> mail = mailTo(olga);
        assertThat(mail).extracting(ReceivedMail::subject).containsExactlyInAnyOrder(
                "New reply on " + TITLE, "New reply on " + TITLE, "New reply on " + TITLE,
                "Bob replied to your comment on " + TITLE, "2 new replies on " + TITLE);
        MimeMessage summary = mail.stream().filter(m -> ReceivedMail.subject(m).startsWith("2 new replies")).findFirst().orElseThrow();
        String text = ReceivedMail.part(summary, "text/plain");
        assertThat(text).contains("Bob wrote:", "> update 4", "> update 5",
                "http://localhost:8082/posts/vitamin-k2/comments/" + updates[3].comment().id(),
                "http://localhost:8082/posts/vitamin-k2/comments/" + updates[4].comment().id())
                .doesNotContain("update 3", "answer to you");
        assertThat(ReceivedMail.header(summary, "List-Unsubscribe")).startsWith("<http://localhost:8083/unsubscribe?token=");
        // The direct reply was mailed at once: sent before the summary's window closed.
        assertThat(jdbc.sql("""
                select r.sent_at < s.sent_at from delivery r, delivery s where r.comment_id = :reply and r.recipient_email = :email
                   and s.id = :summary""")
                .param("reply", reply.comment().id()).param("email", olga).param("summary", summaries.get(0))
                .query(Boolean.class).single()).isTrue();

        // A redelivered event folds nothing twice; an update of the closed window that the thread stage
        // records only now (running behind) cannot go in the summary already sent: it is mailed at once.
        assertThat(threads.recordComment(updates[4])).isFalse();
        CommentEvent late = comment(postId, 8, null, "Bob", "bob@summary.example.org", false, "late update", t0.plusMillis(200));
        assertThat(status(late, olga)).isIn("PENDING", "SENT");
        assertThat(summaries(postId, olga)).hasSize(1);
        // The summary sent says what it said, not the comment recorded after it went.
        assertThat(carriedInTheLog(summaries.get(0))).hasSize(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> mailTo(olga).size() >= 6);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> mailTo(olga).size() == 6);
        assertThat(jdbc.sql("select count(*) from delivery where recipient_email = :email and status = 'SENT'")
                .param("email", olga).query(Long.class).single()).isEqualTo(6);
    }

    @Test
    void anAddressThatUnsubscribedFromTheThreadGetsNoSummary() {
        String olga = "olga@unsubscribed.example.org";
        UUID postId = post("unsubscribed", olga);
        Instant t0 = Instant.now();
        for (int i = 0; i < 5; i++) {
            comment(postId, 1 + i, null, "Bob", "bob@unsubscribed.example.org", false, "update " + (i + 1), t0.plusMillis(10L * i));
        }
        List<Long> summaries = summaries(postId, olga);
        assertThat(summaries).hasSize(1);
        // Olga reads the first three emails and uses the link in one of them before the window closes.
        await().atMost(Duration.ofSeconds(10)).until(() -> mailTo(olga).size() == 3);
        assertThat(summaryStatus(summaries.get(0))).isEqualTo("PENDING");
        preferences.setThreadMode(olga, postId, ThreadMode.NONE);

        await().atMost(Duration.ofSeconds(30)).until(() -> "SUPPRESSED".equals(summaryStatus(summaries.get(0))));
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                "select count(*) from delivery where recipient_email = :email and status = 'PENDING'")
                .param("email", olga).query(Long.class).single() == 0);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> mailTo(olga).size() == 3);
        assertThat(mailTo(olga)).extracting(ReceivedMail::subject).containsOnly("New reply on " + TITLE);
    }

    /**
     * Words taken back while they wait in a window: a deleted comment leaves the summary (its FOLDED
     * row CANCELLED), a hidden one too, and a summary left with nothing to carry is CANCELLED, not sent.
     */
    @Test
    void aSummaryCarriesOnlyTheCommentsThatStillStand() {
        String olga = "olga@withdrawn.example.org";
        String carl = "carl@withdrawn.example.org";
        UUID postId = post("withdrawn", olga);
        confirmations.confirm(carl, "Carl", ConfirmedBy.OPERATOR);
        Instant t0 = Instant.now();
        comment(postId, 1, null, "Carl", carl, true, "Carl takes part", t0);
        List<CommentEvent> updates = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            updates.add(comment(postId, 2 + i, null, "Bob", "bob@withdrawn.example.org", false, "update " + (i + 1),
                    t0.plusMillis(10L * (i + 1))));
        }
        // Carl's first thread update is update 1: his summary carries updates 4 and 5. Olga's first is
        // Carl's comment: hers carries updates 3, 4 and 5.
        long olgas = summaries(postId, olga).get(0);
        long carls = summaries(postId, carl).get(0);
        assertThat(status(updates.get(2), carl)).isIn("PENDING", "SENT");
        assertThat(rows(updates.get(2), olga)).isZero();
        threads.recordComment(CommentEvent.deleted(withdrawn(updates.get(4).comment(), t0.plusMillis(100), null)));
        threads.recordComment(CommentEvent.hidden(withdrawn(updates.get(3).comment(), null, t0.plusMillis(110))));

        // The log shows what each summary carries, and what was taken back, with the reason.
        assertThat(carriedInTheLog(olgas)).containsExactly(
                updates.get(2).comment().id() + " FOLDED carried by summary " + olgas,
                updates.get(3).comment().id() + " CANCELLED " + Threads.HIDDEN_REASON,
                updates.get(4).comment().id() + " CANCELLED " + Threads.DELETED_REASON);
        assertThat(carriedInTheLog(carls)).containsExactly(
                updates.get(3).comment().id() + " CANCELLED " + Threads.HIDDEN_REASON,
                updates.get(4).comment().id() + " CANCELLED " + Threads.DELETED_REASON);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(List.of(summaryStatus(olgas), summaryStatus(carls)))
                .containsExactly("SENT", "CANCELLED"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> mailTo(olga).size() == 4 && mailTo(carl).size() == 3);
        assertThat(mailTo(carl)).extracting(ReceivedMail::subject).containsOnly("New reply on " + TITLE);
        MimeMessage summary = mailTo(olga).stream().filter(m -> ReceivedMail.subject(m).equals("1 new reply on " + TITLE))
                .findFirst().orElseThrow();
        assertThat(ReceivedMail.part(summary, "text/plain")).contains("> update 3").doesNotContain("update 4", "update 5");
    }

    /**
     * The race between a sender claiming a summary and the thread stage recording one more update of
     * its window: the claim waits for the thread's lock (held here by a transaction of the test, as
     * the thread stage holds it while it records), the next update is recorded meanwhile behind that
     * lock too, and whichever of the two gets the lock first, the update reaches Olga exactly once:
     * in the summary (recorded before the claim) or in an email of its own (after it).
     */
    @Test
    void anUpdateRecordedWhileASenderClaimsTheSummaryReachesTheRecipientOnce() throws Exception {
        String olga = "olga@race.example.org";
        UUID postId = post("race", olga);
        Instant t0 = Instant.now();
        for (int i = 0; i < 5; i++) {
            comment(postId, 1 + i, null, "Bob", "bob@race.example.org", false, "update " + (i + 1), t0.plusMillis(10L * i));
        }
        long summary = summaries(postId, olga).get(0);
        try (Connection threadStage = dataSource.getConnection()) {
            threadStage.setAutoCommit(false);
            try (PreparedStatement lock = threadStage.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, postId.getMostSignificantBits() ^ postId.getLeastSignificantBits());
                lock.execute();
            }
            // The window closed (5 s) and the summary is due: the fault really happened, the senders wait for the lock.
            AtomicLong seen = new AtomicLong(-1);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
                long now = advisoryWaiters(postId);
                return now >= 1 && now == seen.getAndSet(now);
            });
            long senders = seen.get();
            assertThat(jdbc.sql("select summary_through_position is null and claim_token is null from delivery where id = :id")
                    .param("id", summary).query(Boolean.class).single()).isTrue();
            CompletableFuture<CommentEvent> next = CompletableFuture.supplyAsync(() -> comment(postId, 6, null, "Bob",
                    "bob@race.example.org", false, "update in the race", t0.plusMillis(60)));
            await().atMost(Duration.ofSeconds(10)).until(() -> advisoryWaiters(postId) > senders);
            threadStage.commit();
            next.get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> "SENT".equals(summaryStatus(summary)) && jdbc.sql(
                "select count(*) from delivery where recipient_email = :email and status = 'PENDING'")
                .param("email", olga).query(Long.class).single() == 0);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> mailTo(olga).size() >= 4);
        long mentions = mailTo(olga).stream().filter(m -> ReceivedMail.part(m, "text/plain").contains("update in the race")).count();
        assertThat(mentions).isEqualTo(1);
    }

    /** Transactions waiting for the thread's lock (the key split in two halves as pg_locks shows it). */
    private long advisoryWaiters(UUID postId) {
        long key = postId.getMostSignificantBits() ^ postId.getLeastSignificantBits();
        return jdbc.sql("""
                select count(*) from pg_locks
                 where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())
                   and classid::bigint = :high and objid::bigint = :low""")
                .param("high", key >>> 32).param("low", key & 0xffffffffL).query(Long.class).single();
    }

    private static CommentEvent.CommentPosted withdrawn(CommentEvent.CommentPosted comment, Instant deletedAt, Instant hiddenAt) {
        return new CommentEvent.CommentPosted(comment.id(), comment.postId(), comment.parentId(), comment.position(),
                comment.author(), comment.notifyOnReply(), deletedAt != null ? "" : comment.excerpt(), comment.createdAt(), null,
                deletedAt, hiddenAt);
    }

    /**
     * The seed thread (seeds/vitamin-k2-thread.json) with the default limit, its 16 comments within
     * one window as in the replay: the deliveries written at once and the summaries with the comments
     * they carry are what seeds/vitamin-k2-thread.flood-control.expected.json says, and the summaries
     * go out once when the window closes. Its addresses are confirmed beforehand (the local run's
     * operator call), so nothing waits and no confirmation email is asked for: those are the file's
     * CONFIRMATION entries, unchanged by flood control.
     */
    @Test
    void theSeedThreadGivesWhatItsFloodControlExpectationSays() {
        JsonNode seed = seedFile("seeds/vitamin-k2-thread.json");
        JsonNode expected = seedFile("seeds/vitamin-k2-thread.flood-control.expected.json");
        Set<String> addresses = new LinkedHashSet<>();
        for (JsonNode comment : seed.get("comments")) {
            String email = comment.get("author").get("email").asString().strip().toLowerCase(Locale.ROOT);
            if (addresses.add(email)) {
                confirmations.confirm(email, comment.get("author").get("name").asString(), ConfirmedBy.OPERATOR);
            }
        }
        JsonNode post = seed.get("post");
        UUID postId = UUID.randomUUID();
        threads.recordPost(PostEvent.of(PostEvent.PUBLISHED, new PostEvent.PostState(postId, post.get("slug").asString(),
                post.get("title").asString(), "body", new Person(post.get("author").get("name").asString(),
                        post.get("author").get("email").asString()), Instant.now(), true, 1), Instant.now()));
        Map<Integer, UUID> ids = new HashMap<>();
        Instant t0 = Instant.now();
        for (JsonNode comment : seed.get("comments")) {
            int ref = comment.get("ref").asInt();
            UUID parentId = comment.hasNonNull("parentRef") ? ids.get(comment.get("parentRef").asInt()) : null;
            ids.put(ref, comment(postId, ref, parentId, comment.get("author").get("name").asString(),
                    comment.get("author").get("email").asString(), comment.path("notify").asBoolean(true),
                    comment.get("body").asString(), t0.plusMillis(10L * ref)).comment().id());
        }
        Map<UUID, Integer> refs = new HashMap<>();
        ids.forEach((ref, id) -> refs.put(id, ref));

        List<String> atOnce = jdbc.sql("""
                select comment_id, recipient_email, reason from delivery
                 where post_id = :postId and reason <> 'SUMMARY'""")
                .param("postId", postId)
                .query((rs, row) -> refs.get(rs.getObject("comment_id", UUID.class)) + " " + rs.getString("recipient_email") + " "
                        + ("DIRECT_REPLY".equals(rs.getString("reason")) ? "DIRECT_REPLY" : "THREAD_UPDATE"))
                .list();
        List<String> expectedAtOnce = new ArrayList<>();
        for (JsonNode email : expected.get("emails")) {
            if (!"CONFIRMATION".equals(email.get("kind").asString())) {
                expectedAtOnce.add(email.get("commentRef").asInt() + " " + email.get("recipient").asString() + " "
                        + email.get("kind").asString());
            }
        }
        assertThat(atOnce).containsExactlyInAnyOrderElementsOf(expectedAtOnce).hasSize(29);

        Map<String, List<Integer>> carried = new HashMap<>();
        jdbc.sql("select s.recipient_email, c.comment_id from delivery s, " + CarriedComments.OF_SUMMARY + CarriedComments.STANDING
                        + " and s.post_id = :postId and s.reason = 'SUMMARY'")
                .param("postId", postId)
                .query((rs, row) -> carried.computeIfAbsent(rs.getString("recipient_email"), r -> new ArrayList<>())
                        .add(refs.get(rs.getObject("comment_id", UUID.class))))
                .list();
        Map<String, List<Integer>> expectedSummaries = new HashMap<>();
        for (JsonNode summary : expected.get("summaries")) {
            List<Integer> commentRefs = new ArrayList<>();
            summary.get("commentRefs").forEach(ref -> commentRefs.add(ref.asInt()));
            expectedSummaries.put(summary.get("recipient").asString(), commentRefs);
        }
        carried.values().forEach(list -> list.sort(null));
        assertThat(carried).isEqualTo(expectedSummaries).hasSize(6);

        // Settled: each recipient got the emails sent at once and their one summary, nothing more.
        int total = expectedAtOnce.size() + expectedSummaries.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "select count(*) from delivery where post_id = :postId and status = 'PENDING'")
                .param("postId", postId).query(Long.class).single() == 0 && seedMail(addresses) >= total);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> seedMail(addresses) == total);
        // Star's summary carries comments 8-16 and, with 3 listed per summary, quotes 14-16 and leads to 8.
        MimeMessage starsSummary = mailTo("star@example.org").stream()
                .filter(m -> ReceivedMail.subject(m).equals("9 new replies on " + post.get("title").asString())).findFirst().orElseThrow();
        String text = ReceivedMail.part(starsSummary, "text/plain");
        String comments = "http://localhost:8082/posts/" + post.get("slug").asString() + "/comments/";
        assertThat(text).contains("while the thread was busy; the latest 3:", comments + ids.get(14), comments + ids.get(16),
                "6 earlier replies are not listed here. Read them all from the first new one: " + comments + ids.get(8))
                .doesNotContain(comments + ids.get(13));
        assertThat(text.split("Read it and reply:", -1)).hasSize(4);
    }

    private static int seedMail(Set<String> addresses) {
        return addresses.stream().mapToInt(address -> mailTo(address).size()).sum();
    }

    /** A file of the repository's seeds/ folder, found from the module folder the tests run in. */
    private static JsonNode seedFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                try {
                    return JsonMapper.builder().build().readTree(Files.readString(candidate));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException(relative + " not found from " + Path.of("").toAbsolutePath());
    }

    private UUID post(String slug, String author) {
        UUID postId = UUID.randomUUID();
        threads.recordPost(PostEvent.of(PostEvent.PUBLISHED, new PostEvent.PostState(postId, slug, TITLE, "body",
                new Person("Olga", author), Instant.now(), true, 1), Instant.now()));
        return postId;
    }

    private CommentEvent comment(UUID postId, int position, UUID parentId, String name, String email, boolean notify, String excerpt,
            Instant createdAt) {
        CommentEvent event = CommentEvent.posted(new CommentEvent.CommentPosted(UUID.randomUUID(), postId, parentId, position,
                new Person(name, email), notify, excerpt, createdAt));
        threads.recordComment(event);
        return event;
    }

    private String status(CommentEvent event, String recipient) {
        return jdbc.sql("select status from delivery where comment_id = :id and recipient_email = :email")
                .param("id", event.comment().id()).param("email", recipient).query(String.class).single();
    }

    private long rows(CommentEvent event, String recipient) {
        return jdbc.sql("select count(*) from delivery where comment_id = :id and recipient_email = :email")
                .param("id", event.comment().id()).param("email", recipient).query(Long.class).single();
    }

    /** What the operator's delivery log says a summary carried: comment, status, reason, in thread order. */
    private List<String> carriedInTheLog(long summaryId) {
        try {
            String body = http.perform(get("/api/deliveries").param("summaryId", Long.toString(summaryId))
                            .header(HttpHeaders.AUTHORIZATION, OPERATOR.basic()))
                    .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().isOk()).andReturn().getResponse().getContentAsString();
            List<String> entries = new ArrayList<>();
            for (JsonNode delivery : JsonMapper.builder().build().readTree(body).get("deliveries")) {
                assertThat(delivery.get("summaryId").asLong()).isEqualTo(summaryId);
                assertThat(delivery.get("recipient").asString()).matches("[a-z]\\*\\*\\*@[a-z.]+"); // masked, as every entry of the log
                entries.add(delivery.get("commentId").asString() + " " + delivery.get("status").asString() + " "
                        + delivery.get("statusReason").asString());
            }
            return entries;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Long> summaries(UUID postId, String recipient) {
        return jdbc.sql("select id from delivery where post_id = :postId and recipient_email = :email and reason = 'SUMMARY'")
                .param("postId", postId).param("email", recipient).query(Long.class).list();
    }

    private Instant quietUntil(UUID postId, String participant) {
        return jdbc.sql("select quiet_until from thread_participant where post_id = :postId and email = :email")
                .param("postId", postId).param("email", participant)
                .query((rs, row) -> rs.getTimestamp(1) == null ? null : rs.getTimestamp(1).toInstant()).list().get(0);
    }

    private String summaryStatus(long id) {
        return jdbc.sql("select status from delivery where id = :id").param("id", id).query(String.class).single();
    }

    private static List<MimeMessage> mailTo(String address) {
        return ReceivedMail.to(SMTP.getReceivedMessages(), address);
    }

    private static GreenMail startSmtp() {
        GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        Runtime.getRuntime().addShutdownHook(new Thread(smtp::stop, "flood-control-smtp-stop"));
        return smtp;
    }
}
