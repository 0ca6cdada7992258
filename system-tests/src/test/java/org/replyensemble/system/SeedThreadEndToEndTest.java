package org.replyensemble.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.replyensemble.events.Topics;
import org.replyensemble.local.accounts.Credentials;
import org.replyensemble.local.seeds.ExpectedEmails;
import org.replyensemble.local.seeds.ReplayResult;
import org.replyensemble.local.seeds.SeedConfirmations;
import org.replyensemble.local.seeds.SeedReplay;
import org.replyensemble.local.seeds.SeedThread;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.replyensemble.testing.ProducedEvents;
import org.replyensemble.testing.TestAccount;
import org.replyensemble.testing.TestMailServer;
import org.replyensemble.testing.browser.Browsers;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * The reference test: the seed thread replayed through the public REST APIs of the three
 * services, each commenter confirming their address as a reader would (the link in their
 * confirmation email: GET the page, POST its form), must give exactly the emails in
 * seeds/vitamin-k2-thread.expected.json as received by a real SMTP server: the 60 reply emails
 * and the 7 confirmation emails, none before its recipient confirmed; and replaying every event
 * again must send nothing more.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeedThreadEndToEndTest {

    private static final Pattern COMMENT_IN_MESSAGE_ID = Pattern.compile("<(comment|confirm)-([0-9a-f-]{36})\\.");
    private static final Pattern CONFIRM_LINK = Pattern.compile("http://\\S+/confirm\\?token=[A-Za-z0-9_.-]+");
    private static final Duration MAIL_WAIT = Duration.ofSeconds(90);
    /** A first-time commenter on the second thread, held, approved, then erased. */
    private static final String NEWCOMER = "newcomer@words.example.net";

    @RegisterExtension
    static final TestMailServer smtp = TestMailServer.perClass();

    private static final Path SEEDS = Path.of(System.getProperty("seeds.dir", "../seeds"));
    private static final SeedThread thread = SeedThread.read(SEEDS.resolve("vitamin-k2-thread.json"));
    private static final ExpectedEmails expected = ExpectedEmails.read(SEEDS.resolve("vitamin-k2-thread.expected.json"));
    private static final HttpClient http = HttpClient.newHttpClient();

    private static Ensemble ensemble;
    /** One browser for the class (Chromium where installed, HtmlUnit otherwise); started with the ensemble. */
    private static WebDriver browser;
    private static ReplayResult replay;
    private static Map<UUID, Integer> refsByCommentId;

    /** Reply emails each address had received just before its owner confirmed it; all must be none. */
    private static final Map<String, Long> repliesBeforeConfirming = new LinkedHashMap<>();
    private static final Map<String, Instant> confirmedAt = new HashMap<>();
    private static int receivedBeforeAnyConfirmation;

    @BeforeAll
    static void replaySeedThread() throws Exception {
        SeedThread.Author author = thread.post().author();
        ensemble = Ensemble.start(smtp.host(), smtp.smtpPort(), TestAccount.author("arrow", author.name(), author.email()));
        browser = Browsers.open();
        replay = new SeedReplay(ensemble.postService(), ensemble.commentService(),
                Credentials.basic(ensemble.author().username(), ensemble.author().password())).replay(thread);
        refsByCommentId = replay.commentIds().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
        // Every comment fanned out, and everything that may go out before anyone confirms is out:
        // the confirmation emails, and the replies to the post's author (confirmed as the author).
        await().atMost(MAIL_WAIT).untilAsserted(() -> {
            assertThat(count("select count(*) from delivery")).isEqualTo(expected.size());
            assertThat(count("select count(*) from delivery where status = 'PENDING'")).isZero();
            assertThat(smtp.getReceivedMessages()).hasSize((int) count("select count(*) from delivery where status = 'SENT'"));
        });
        receivedBeforeAnyConfirmation = smtp.getReceivedMessages().length;

        for (String address : SeedConfirmations.addressesToConfirm(thread)) {
            repliesBeforeConfirming.put(address, received().stream()
                    .filter(m -> m.recipient().equals(address) && m.kind() != ExpectedEmails.Kind.CONFIRMATION).count());
            confirmedAt.put(address, Instant.now());
            confirmAsTheReaderWould(address);
        }
        // Settled: every delivery sent and every email received; no further mail can come, so the counts below are final.
        await().atMost(MAIL_WAIT).untilAsserted(() -> {
            assertThat(count("select count(*) from delivery where status <> 'SENT'")).isZero();
            assertThat(smtp.getReceivedMessages()).hasSize(expected.size());
        });
        // And stays so for a quiet period: a late duplicate (a resend, a stale sender) would show here.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> smtp.getReceivedMessages().length == expected.size());
    }

    /** Opens the link in the address's confirmation email: the page must only ask; its form's POST confirms. */
    private static void confirmAsTheReaderWould(String address) throws Exception {
        MimeMessage confirmation = Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> recipient(m).equals(address) && messageId(m).startsWith("<confirm-"))
                .collect(Collectors.collectingAndThen(Collectors.toList(), list -> {
                    assertThat(list).as("confirmation emails to %s", address).hasSize(1);
                    return list.get(0);
                }));
        Matcher link = CONFIRM_LINK.matcher(text(confirmation));
        assertThat(link.find()).as("a confirmation link for %s", address).isTrue();
        // The links point at notification-service's public URL (localhost:8083 by default); this one listens elsewhere.
        URI mailed = URI.create(link.group());
        URI uri = ensemble.notificationService().resolve(mailed.getRawPath() + "?" + mailed.getRawQuery());

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Confirm my address").contains(address.charAt(0) + "***@example.org")
                .doesNotContain(address);
        assertThat(ensemble.notificationsDatabase().sql("select confirmed_at is not null from address where email = :email")
                .param("email", address).query(Boolean.class).single()).as("opening the page confirmed nothing").isFalse();

        HttpResponse<String> done = http.send(HttpRequest.newBuilder(uri).header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("decision=confirm")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("Your address is confirmed");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (ensemble != null) {
            ensemble.close();
        }
    }

    @Test
    @Order(1)
    void everyParticipantGetsExactlyTheEmailsTheRulesGive() {
        Set<String> expectedEmails = expected.emails().stream()
                .map(e -> e.commentRef() + " -> " + e.recipient() + (e.kind() == ExpectedEmails.Kind.CONFIRMATION ? " (confirm)" : ""))
                .collect(Collectors.toSet());
        List<String> received = received().stream().map(m -> m.commentRef() + " -> " + m.recipient()
                + (m.kind() == ExpectedEmails.Kind.CONFIRMATION ? " (confirm)" : "")).toList();

        assertThat(received).doesNotHaveDuplicates();
        assertThat(new HashSet<>(received)).isEqualTo(expectedEmails);
        assertThat(received).hasSize(67);
        assertThat(received().stream().filter(m -> m.kind() != ExpectedEmails.Kind.CONFIRMATION)).hasSize(60);
    }

    /**
     * Before anyone confirmed, only the confirmation emails and the post's author's replies went
     * out; each other reader's replies came only after they confirmed, then all of them.
     */
    @Test
    @Order(2)
    void nothingReachedAnAddressBeforeItsOwnerConfirmedIt() {
        long toPostAuthor = expected.notifications().stream()
                .filter(e -> e.recipient().equals(thread.post().author().email())).count();
        assertThat(receivedBeforeAnyConfirmation).isEqualTo(expected.confirmations().size() + (int) toPostAuthor);
        assertThat(repliesBeforeConfirming).hasSize(7).allSatisfy((address, count) -> assertThat(count).as(address).isZero());
        for (MimeMessage message : smtp.getReceivedMessages()) {
            String to = recipient(message);
            if (confirmedAt.containsKey(to) && !messageId(message).startsWith("<confirm-")) {
                // to the second: GreenMail's image tells the time of receipt no finer (TestMailServer)
                assertThat(receivedAt(message)).as("a reply to %s", to)
                        .isAfterOrEqualTo(confirmedAt.get(to).truncatedTo(ChronoUnit.SECONDS));
            }
        }
    }

    @Test
    @Order(3)
    void aDirectReplySaysSoAndEveryOtherEmailIsAThreadUpdate() {
        String title = thread.post().title();
        Map<String, ReceivedEmail> byKey = received().stream().collect(Collectors.toMap(m -> m.commentRef() + " " + m.recipient(), m -> m));
        for (ExpectedEmails.Email email : expected.emails()) {
            ReceivedEmail mail = byKey.get(email.commentRef() + " " + email.recipient());
            String commenter = thread.comment(email.commentRef()).author().name();
            if (email.kind() == ExpectedEmails.Kind.DIRECT_REPLY) {
                assertThat(mail.subject()).isEqualTo(commenter + " replied to your comment on " + title);
            } else if (email.kind() == ExpectedEmails.Kind.CONFIRMATION) {
                assertThat(mail.subject()).isEqualTo("Please confirm your email address for reply notifications");
            } else {
                assertThat(mail.subject()).isEqualTo("New reply on " + title);
            }
        }
        assertThat(expected.emails()).filteredOn(e -> e.kind() == ExpectedEmails.Kind.DIRECT_REPLY).hasSize(7);
    }

    @Test
    @Order(4)
    void nobodyIsEmailedAboutTheirOwnComment() {
        for (ReceivedEmail mail : received()) {
            if (mail.kind() == ExpectedEmails.Kind.CONFIRMATION) {
                continue; // the one email a comment sends its own author: "confirm your address"
            }
            String author = thread.comment(mail.commentRef()).author().email();
            assertThat(mail.recipient()).as("recipient of comment %d", mail.commentRef()).isNotEqualToIgnoringCase(author);
        }
    }

    @Test
    @Order(5)
    void publicResponsesNeverShowAnAddress() throws Exception {
        Set<String> addresses = thread.comments().stream().map(c -> c.author().email()).collect(Collectors.toSet());
        addresses.add(thread.post().author().email());
        List<URI> pages = List.of(
                ensemble.commentService().resolve("/api/posts/" + replay.postId() + "/comments"),
                ensemble.commentService().resolve("/api/comments/" + replay.commentId(8)),
                ensemble.postService().resolve("/api/posts/" + replay.postId()),
                ensemble.postService().resolve("/api/posts/" + thread.post().slug()),
                ensemble.postService().resolve("/api/posts"));
        for (URI page : pages) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(page.toString()).isEqualTo(200);
            assertThat(response.body()).as(page.toString()).doesNotContain("@example.org");
            addresses.forEach(address -> assertThat(response.body().toLowerCase()).doesNotContain(address));
        }
        HttpResponse<String> listing = http.send(HttpRequest.newBuilder(pages.get(0)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(listing.body()).contains("\"position\":16", "\"parentId\":\"" + replay.commentId(7) + "\"");
    }

    /** What the services really published for the seed thread, held to the published contract. */
    @Test
    @Order(6)
    void everyEventTheServicesPublishedHoldsToTheContract() {
        String brokers = System.getProperty("spring.kafka.bootstrap-servers");
        String post = replay.postId().toString();
        assertThat(ProducedEvents.assertAllHold(brokers, Topics.POSTS)).filteredOn(record -> post.equals(record.key())).isNotEmpty();
        assertThat(ProducedEvents.assertAllHold(brokers, Topics.COMMENTS)).filteredOn(record -> post.equals(record.key()))
                .hasSize(thread.comments().size());
    }

    @Test
    @Order(7)
    void theDeliveryLogIsTheOperatorsOnly() throws Exception {
        UUID last = replay.commentId(16);
        long expectedForLast = expected.emails().stream().filter(e -> e.commentRef() == 16).count();
        URI log = ensemble.notificationService().resolve("/api/deliveries?commentId=" + last);
        for (String refused : new String[] { null, Credentials.basic(ensemble.author().username(), ensemble.author().password()).authorization() }) {
            HttpRequest.Builder request = HttpRequest.newBuilder(log);
            if (refused != null) {
                request.header("Authorization", refused);
            }
            assertThat(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isIn(401, 403);
        }
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(log).header("Authorization",
                Credentials.basic(ensemble.operator().username(), ensemble.operator().password()).authorization()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body().split("\"recipient\"", -1)).hasSize((int) expectedForLast + 1);
        thread.comments().forEach(c -> assertThat(answer.body().toLowerCase()).doesNotContain(c.author().email().toLowerCase()));
    }

    /**
     * Words taken back, on a second thread of the same ensemble: a comment edited, one hidden and
     * one deleted by the post's author, and a first-time commenter held until approved. The held
     * comment mails nobody until it is approved, then the thread's earlier participants; the replay
     * below must leave all of it as it is.
     */
    @Test
    @Order(7)
    void wordsTakenBackAndAHeldCommentMailAsTheRulesSay() throws Exception {
        List<String> confirmed = List.copyOf(SeedConfirmations.addressesToConfirm(thread));
        String ann = confirmed.get(0);
        String bob = confirmed.get(1);
        String moderator = ensemble.author().basic();
        SeedThread.Author postAuthor = thread.post().author();
        String postJson = "{\"title\":\"Words taken back\",\"body\":\"A second thread.\",\"author\":{\"name\":\""
                + postAuthor.name() + "\",\"email\":\"" + postAuthor.email() + "\"}}";
        UUID post = UUID.fromString(field(call("POST", ensemble.postService().resolve("/api/posts"), postJson, moderator, 201), "id"));
        URI comments = ensemble.commentService().resolve("/api/posts/" + post + "/comments");
        await().atMost(MAIL_WAIT).until(() -> call("GET", comments, null, null, -1).statusCode() == 200);

        String kept = call("POST", comments, commentJson("Ann", ann, "Words to keep", null), null, 201).body();
        UUID keptId = UUID.fromString(field(kept, "id"));
        String reply = call("POST", comments, commentJson("Bob", bob, "A reply to be edited", keptId), null, 201).body();
        UUID replyId = UUID.fromString(field(reply, "id"));
        HttpRequest edit = HttpRequest.newBuilder(ensemble.commentService().resolve("/api/comments/" + replyId))
                .header("Content-Type", "application/json").header("Comment-Secret", field(reply, "editSecret"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"body\":\"An edited reply\"}")).build();
        assertThat(http.send(edit, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        call("POST", ensemble.commentService().resolve("/api/comments/" + keptId + "/hide"), null, moderator, 200);
        call("DELETE", ensemble.commentService().resolve("/api/comments/" + replyId), null, moderator, 204);

        call("PUT", ensemble.commentService().resolve("/api/posts/" + post + "/moderation"), "{\"holdFirstTimeCommenters\":true}",
                moderator, 200);
        String newcomer = NEWCOMER;
        UUID held = UUID.fromString(field(call("POST", comments, commentJson("Nina Newcomer", newcomer, "Held until approved", null),
                null, 202).body(), "id"));
        UUID bobAgain = UUID.fromString(field(call("POST", comments, commentJson("Bob", bob, "Bob is no newcomer", null), null, 201)
                .body(), "id"));
        // Bob's second comment was fanned out after the held one was posted: the held one wrote nothing.
        await().atMost(MAIL_WAIT).until(() -> count("select count(*) from delivery where comment_id = '" + bobAgain + "'") > 0);
        assertThat(count("select count(*) from delivery where comment_id = '" + held + "'")).isZero();
        assertThat(count("select count(*) from thread_comment where comment_id = '" + held + "'")).isZero();

        call("POST", ensemble.commentService().resolve("/api/comments/" + held + "/approve"), null, moderator, 200);
        await().atMost(MAIL_WAIT).untilAsserted(() -> assertThat(ensemble.notificationsDatabase()
                .sql("select recipient_email from delivery where comment_id = ? and reason <> 'CONFIRMATION'").param(held)
                .query(String.class).set()).contains(bob, postAuthor.email().toLowerCase()).doesNotContain(newcomer));
        // Settled: nothing of this thread left to send, every SENT email received, and it stays so.
        await().atMost(MAIL_WAIT).untilAsserted(() -> {
            assertThat(count("select count(*) from delivery where status in ('PENDING', 'HELD')")).isZero();
            assertThat(smtp.getReceivedMessages()).hasSize((int) count("select count(*) from delivery where status = 'SENT'"));
        });
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> smtp.getReceivedMessages().length == count("select count(*) from delivery where status = 'SENT'"));
        assertThat(ensemble.notificationsDatabase().sql("select excerpt from thread_comment where comment_id = ?").param(replyId)
                .query(String.class).single()).isEmpty();
        assertThat(count("select count(*) from thread_comment where comment_id = '" + keptId + "' and hidden_at is not null")).isEqualTo(1);

        // The newcomer asks to be forgotten: an operator's one call to post-service reaches every service.
        call("POST", ensemble.postService().resolve("/api/operator/erasures"), "{\"email\":\"" + NEWCOMER + "\"}",
                ensemble.operator().basic(), 202);
        await().atMost(MAIL_WAIT).until(() -> rowsWithTheNewcomer() == 0);
        assertThat(ensemble.notificationsDatabase().sql("select author_name from thread_comment where comment_id = ?").param(held)
                .query(String.class).single()).isEqualTo("[deleted]");
    }

    /** Rows of notification-service naming the erased newcomer's address, in any table that holds addresses. */
    private static long rowsWithTheNewcomer() {
        return count("select (select count(*) from address where email = '" + NEWCOMER + "')"
                + " + (select count(*) from delivery where recipient_email = '" + NEWCOMER + "')"
                + " + (select count(*) from thread_comment where author_email = '" + NEWCOMER + "')"
                + " + (select count(*) from thread_participant where email = '" + NEWCOMER + "')");
    }

    private static String commentJson(String name, String email, String body, UUID parentId) {
        return "{\"author\":{\"name\":\"" + name + "\",\"email\":\"" + email + "\"},\"body\":\"" + body + "\",\"notify\":true"
                + (parentId == null ? "" : ",\"parentId\":\"" + parentId + "\"") + "}";
    }

    /** One HTTP call, its status checked unless {@code expected} is -1; signed in when {@code authorization} is given. */
    private static HttpResponse<String> call(String method, URI uri, String json, String authorization, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (expected != -1) {
            assertThat(response.statusCode()).as(method + " " + uri + ": " + response.body()).isEqualTo(expected);
        }
        return response;
    }

    private static String field(HttpResponse<String> response, String name) {
        return field(response.body(), name);
    }

    private static String field(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        assertThat(value.find()).as(name + " in " + json).isTrue();
        return value.group(1);
    }

    @Test
    @Order(8)
    void replayingEveryEventAgainSendsNoFurtherMail() throws Exception {
        int before = smtp.getReceivedMessages().length;
        String deliveriesBefore = deliveryLog();
        String commentsBefore = threadComments();
        KafkaListenerEndpointRegistry listeners = ensemble.notifications.getBean(KafkaListenerEndpointRegistry.class);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty("spring.kafka.bootstrap-servers")))) {
            String group = "notification-service";
            listeners.stop();
            await().atMost(Duration.ofSeconds(60)).until(() -> admin.describeConsumerGroups(List.of(group)).all().get()
                    .get(group).members().isEmpty());

            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            assertThat(committed.keySet()).extracting(TopicPartition::topic).contains(Topics.POSTS, Topics.COMMENTS);
            Map<TopicPartition, OffsetAndMetadata> fromTheStart = new HashMap<>();
            committed.keySet().forEach(partition -> fromTheStart.put(partition, new OffsetAndMetadata(0)));
            admin.alterConsumerGroupOffsets(group, fromTheStart).all().get();

            listeners.start();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> now = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                var ends = admin.listOffsets(latest).all().get();
                ends.forEach((partition, end) -> assertThat(now.get(partition)).as(partition.toString())
                        .isNotNull().extracting(OffsetAndMetadata::offset).isEqualTo(end.offset()));
            });
        }
        // The whole topic was consumed again; any email it caused would be a delivery row first, and
        // an edit, deletion or hiding applied again would change a thread comment or a delivery's status.
        assertThat(deliveryLog()).isEqualTo(deliveriesBefore);
        assertThat(threadComments()).isEqualTo(commentsBefore);
        assertThat(rowsWithTheNewcomer()).as("an erased address brought back by old events").isZero();
        assertThat(smtp.getReceivedMessages()).hasSize(before);
    }

    /**
     * A reader opens the comment link of a real reply email in a browser: the thread page opens at
     * that comment (the server found its page from the id in the link), and its source names no
     * address of anyone in the thread.
     */
    @Test
    @Order(8)
    void theLinkInARealEmailOpensTheThreadPageAtThatComment() throws Exception {
        UUID last = replay.commentId(16);
        MimeMessage email = Arrays.stream(smtp.getReceivedMessages()).filter(m -> messageId(m).startsWith("<comment-" + last))
                .findFirst().orElseThrow();
        String link = commentLink(email);
        assertThat(link).isEqualTo(ensemble.commentService() + "/posts/" + thread.post().slug() + "/comments/" + last);

        browser.get(link);
        assertThat(browser.getCurrentUrl()).endsWith("#comment-" + last);
        assertThat(browser.findElement(By.id("comment-" + last)).getText())
                .contains(thread.comment(16).author().name());
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo(thread.post().title());
        String source = browser.getPageSource().toLowerCase();
        assertThat(source).doesNotContain("@example.org");
        addressesOfTheThread().forEach(address -> assertThat(source).doesNotContain(address));
        // A reply is shown under the comment it answers, however much later it came.
        for (SeedThread.Comment comment : thread.comments()) {
            if (comment.parentRef() != null) {
                List<String> order = browser.findElements(By.cssSelector("article.comment")).stream()
                        .map(article -> article.getAttribute("id")).toList();
                assertThat(order.indexOf("comment-" + replay.commentId(comment.ref())))
                        .as("comment %d after its parent %d", comment.ref(), comment.parentRef())
                        .isGreaterThan(order.indexOf("comment-" + replay.commentId(comment.parentRef())));
            }
        }
    }

    /**
     * A new reader answers a comment through the page's form; the earlier participants get the
     * email about it, and its link opens the page at the new comment.
     */
    @Test
    @Order(9)
    void aReplyThroughThePageFormReachesTheEarlierParticipantsWithALinkToIt() throws Exception {
        UUID answered = replay.commentId(1);
        String answeredAuthor = thread.comment(1).author().email().toLowerCase();
        browser.get(ensemble.commentService() + "/posts/" + thread.post().slug());
        browser.findElement(By.cssSelector("#comment-" + answered + " details.reply summary")).click();
        browser.findElement(By.id("name-" + answered)).sendKeys("Zoe Newcomer");
        browser.findElement(By.id("email-" + answered)).sendKeys("zoe@newcomers.example.net");
        browser.findElement(By.id("body-" + answered)).sendKeys("Thank you, this helped.\nA second line.");
        browser.findElement(By.cssSelector("#comment-" + answered + " form button[type=submit]")).click();
        // The click returns before Chromium has followed the redirect to the new comment.
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(page -> page.getCurrentUrl().matches(".*#comment-[0-9a-f-]{36}$"));

        Matcher posted = Pattern.compile("#comment-([0-9a-f-]{36})$").matcher(browser.getCurrentUrl());
        assertThat(posted.find()).as(browser.getCurrentUrl()).isTrue();
        UUID reply = UUID.fromString(posted.group(1));
        assertThat(browser.findElement(By.cssSelector("#comment-" + reply + " .notice")).getText())
                .contains("may get an email asking you to confirm");
        assertThat(browser.getPageSource()).doesNotContain("zoe@newcomers.example.net");

        await().atMost(MAIL_WAIT).untilAsserted(() -> {
            assertThat(count("select count(*) from delivery where comment_id = '" + reply + "' and status = 'PENDING'")).isZero();
            assertThat(count("select count(*) from delivery where comment_id = '" + reply + "'")).isPositive();
        });
        // A delivery is marked SENT as soon as the server accepted it, which can be a moment before the
        // server lists the message: wait until every SENT reply email is in the mailbox, and stays so.
        // (Zoe's own confirmation email is a delivery of her comment too, with a Message-ID of its own.)
        int sent = (int) count("select count(*) from delivery where comment_id = '" + reply
                + "' and status = 'SENT' and reason <> 'CONFIRMATION'");
        await().atMost(MAIL_WAIT).during(Duration.ofSeconds(1)).until(() -> Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> messageId(m).startsWith("<comment-" + reply)).count() == sent);
        List<MimeMessage> aboutReply = Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> messageId(m).startsWith("<comment-" + reply)).toList();
        assertThat(aboutReply).extracting(SeedThreadEndToEndTest::recipient).contains(answeredAuthor).hasSize(sent);
        MimeMessage toAnswered = aboutReply.stream().filter(m -> recipient(m).equals(answeredAuthor)).findFirst().orElseThrow();
        assertThat(toAnswered.getSubject()).isEqualTo("Zoe Newcomer replied to your comment on " + thread.post().title());

        browser.get(commentLink(toAnswered));
        assertThat(browser.getCurrentUrl()).endsWith("#comment-" + reply);
        assertThat(browser.findElement(By.id("comment-" + reply)).getText()).contains("Zoe Newcomer", "Thank you, this helped.")
                .doesNotContain("zoe@");
    }

    private static Set<String> addressesOfTheThread() {
        Set<String> addresses = thread.comments().stream().map(c -> c.author().email().toLowerCase()).collect(Collectors.toSet());
        addresses.add(thread.post().author().email().toLowerCase());
        return addresses;
    }

    private static String commentLink(MimeMessage email) throws Exception {
        Matcher link = Pattern.compile("Read it and reply: (\\S+)").matcher(text(email));
        assertThat(link.find()).as("the comment link of the email").isTrue();
        return link.group(1);
    }

    /** Each email by the comment its Message-ID names; a confirmation email's kind is CONFIRMATION, the others' are not told apart here. */
    private static List<ReceivedEmail> received() {
        List<ReceivedEmail> emails = new ArrayList<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            try {
                Matcher matcher = COMMENT_IN_MESSAGE_ID.matcher(messageId(message));
                assertThat(matcher.find()).as("Message-ID %s names its comment", message.getMessageID()).isTrue();
                Integer ref = refsByCommentId.get(UUID.fromString(matcher.group(2)));
                assertThat(ref).as("comment of %s", message.getMessageID()).isNotNull();
                ExpectedEmails.Kind kind = matcher.group(1).equals("confirm") ? ExpectedEmails.Kind.CONFIRMATION : null;
                emails.add(new ReceivedEmail(ref, recipient(message), message.getSubject(), kind));
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return emails;
    }

    private static String recipient(MimeMessage message) {
        try {
            return ((InternetAddress) message.getRecipients(MimeMessage.RecipientType.TO)[0]).getAddress().toLowerCase();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String messageId(MimeMessage message) {
        try {
            return String.valueOf(message.getMessageID());
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The email's text part, decoded. */
    private static String text(Part part) throws Exception {
        if (part.isMimeType("text/plain")) {
            return (String) part.getContent();
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                String found = text(multipart.getBodyPart(i));
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Instant receivedAt(MimeMessage message) {
        try {
            return message.getReceivedDate().toInstant();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String deliveryLog() {
        return ensemble.notificationsDatabase().sql("select string_agg(concat_ws(' ', id, comment_id, recipient_email, reason, status),"
                + " E'\\n' order by id) from delivery").query(String.class).single();
    }

    private static String threadComments() {
        return ensemble.notificationsDatabase().sql("select string_agg(t::text, E'\\n' order by comment_id) from thread_comment t")
                .query(String.class).single();
    }

    private static long count(String sql) {
        return ensemble.notificationsDatabase().sql(sql).query(Long.class).single();
    }

    private record ReceivedEmail(int commentRef, String recipient, String subject, ExpectedEmails.Kind kind) {
    }
}
