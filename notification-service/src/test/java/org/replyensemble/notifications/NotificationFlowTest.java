package org.replyensemble.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Topics;
import org.replyensemble.notifications.email.EmailProperties;
import org.replyensemble.notifications.email.MessageIds;
import org.replyensemble.notifications.unsubscribe.UnsubscribeScope;
import org.replyensemble.notifications.unsubscribe.UnsubscribeTokens;
import org.replyensemble.testing.TestIssuer;
import org.replyensemble.testing.TopicReader;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Replies reach the earlier participants (here confirmed beforehand by the operator call, as their
 * owners would have by the link: ConfirmationFlowTest), once, with the right headers; duplicates,
 * replays, early comments and poison records; unsubscribing; the operator's delivery log.
 */
class NotificationFlowTest extends FlowTest {

    @Autowired
    Environment environment;
    @Autowired
    EmailProperties emailProperties;
    @Autowired
    ConsumerFactory<String, String> consumers;
    @Autowired
    MeterRegistry meters;
    @Autowired
    UnsubscribeTokens unsubscribeTokens;

    @Test
    void runsWithItsOwnSettingsFile() {
        assertThat(environment.getProperty("spring.flyway.locations")).isEqualTo("classpath:db/migration/notifications");
        assertThat(environment.getProperty("spring.kafka.consumer.group-id")).isEqualTo("notification-service");
        assertThat(emailProperties.mailDomain()).isEqualTo("replyensemble.local");
    }

    @Test
    void eachReplyReachesTheEarlierParticipantsOnceAndSaysWhy() throws Exception {
        confirm(address("ann"), "Ann");
        confirm(address("paul"), "Paul");
        UUID postId = publishPost("Vitamin K2 and bones", "vitamin-k2", "Olga", address("olga"));
        CommentEvent ann = publishComment(postId, 1, null, "Ann", address("ann"), true, "Does K2 need D3?");
        CommentEvent paul = publishComment(postId, 2, ann.comment().id(), "Paul", address("paul"), true, "Yes, <b>usually</b>.");
        publishComment(postId, 3, null, "Ann", " ANN@" + domain.toUpperCase() + " ", true, "Thanks!");

        awaitMail(address("olga"), 3);
        awaitMail(address("ann"), 1);
        awaitMail(address("paul"), 1);

        MimeMessage toAnn = mailTo(address("ann")).get(0);
        assertThat(ReceivedMail.subject(toAnn)).isEqualTo("Paul replied to your comment on Vitamin K2 and bones");
        assertThat(toAnn.getHeader("To", null)).contains("Ann").contains(address("ann"));
        assertThat(toAnn.getFrom()[0].toString()).contains("notifications@replyensemble.local");
        assertThat(toAnn.getMessageID()).isEqualTo(MessageIds.forReply(paul.comment().id(), address("ann"), "replyensemble.local"));
        assertThat(ReceivedMail.header(toAnn, "In-Reply-To")).isEqualTo("<post-" + postId + "@replyensemble.local>");
        assertThat(ReceivedMail.header(toAnn, "References")).isEqualTo("<post-" + postId + "@replyensemble.local>");
        assertThat(ReceivedMail.header(toAnn, "List-Unsubscribe")).startsWith("<http://localhost:8083/unsubscribe?token=").endsWith(">");
        assertThat(ReceivedMail.header(toAnn, "List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(ReceivedMail.header(toAnn, "Auto-Submitted")).isEqualTo("auto-generated");
        String text = ReceivedMail.part(toAnn, "text/plain");
        assertThat(text).contains("Hello Ann,", "> Yes, <b>usually</b>.", "because Paul replied to your comment",
                "http://localhost:8082/posts/vitamin-k2/comments/" + paul.comment().id(),
                "You get an email for every new reply on this post. Change what you get: http://localhost:8083/settings?token=");
        assertThat(ReceivedMail.part(toAnn, "text/html")).contains("Yes, &lt;b&gt;usually&lt;/b&gt;.").doesNotContain("<b>usually");

        List<String> toOlga = mailTo(address("olga")).stream().map(ReceivedMail::subject).toList();
        assertThat(toOlga).containsOnly("New reply on Vitamin K2 and bones");
        assertThat(ReceivedMail.part(mailTo(address("olga")).get(0), "text/plain")).contains("because you wrote this post");
        assertThat(ReceivedMail.subject(mailTo(address("paul")).get(0))).isEqualTo("New reply on Vitamin K2 and bones");
        assertThat(ReceivedMail.part(mailTo(address("paul")).get(0), "text/plain")).contains("because you commented on this post");
    }

    @Test
    void aRedeliveredEventSendsNothingTwice() throws Exception {
        confirm(address("ann"), "Ann");
        confirm(address("bob"), "Bob");
        UUID postId = publishPost("Redelivery", "redelivery", "Olga", address("olga"));
        CommentEvent ann = publishComment(postId, 1, null, "Ann", address("ann"), true, "first");
        send(Topics.COMMENTS, postId, EventJson.write(ann));
        // The same comment again under a new event id (a producer that retried after a crash).
        send(Topics.COMMENTS, postId, EventJson.write(CommentEvent.posted(ann.comment())));
        publishComment(postId, 2, null, "Bob", address("bob"), true, "marker");

        awaitMail(address("ann"), 1); // the marker's email: everything before it on the partition is done
        awaitMail(address("olga"), 2);
        assertThat(mailTo(address("olga"))).hasSize(2);
        assertThat(mailTo(address("ann"))).hasSize(1);
        assertThat(jdbc.sql("select count(*) from delivery where comment_id = :id").param("id", ann.comment().id())
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void commentsThatArriveBeforeTheirPostAreSentOnceThePostArrives() throws Exception {
        confirm(address("ann"), "Ann");
        confirm(address("bob"), "Bob");
        UUID postId = UUID.randomUUID();
        publishComment(postId, 1, null, "Ann", address("ann"), true, "early");
        publishComment(postId, 2, null, "Bob", address("bob"), true, "earlier still");
        await().atMost(MAIL_WAIT).until(() -> jdbc.sql("select count(*) from thread_comment where post_id = :id")
                .param("id", postId).query(Long.class).single() == 2);
        assertThat(jdbc.sql("select count(*) from delivery where post_id = :id").param("id", postId).query(Long.class).single())
                .isZero();

        publishPost(postId, "Late post", "late-post", "Olga", address("olga"), 1);

        awaitMail(address("olga"), 2);
        awaitMail(address("ann"), 1);
        assertThat(mailTo(address("bob"))).isEmpty();
    }

    @Test
    void poisonRecordsAreDeadLetteredAndTheConsumerGoesOn() throws Exception {
        confirm(address("ann"), "Ann");
        UUID postId = publishPost("Poison", "poison", "Olga", address("olga"));
        String key = postId.toString();
        double deadBefore = deadLettered(Topics.COMMENTS);
        send(Topics.COMMENTS, postId, "{ this is not json");
        send(Topics.COMMENTS, postId, EventJson.write(new CommentEvent(UUID.randomUUID(), CommentEvent.POSTED, 99,
                Instant.now(), postId, comment(postId, 1, null, "Ann", address("ann"), true, "from the future"))));
        send(Topics.COMMENTS, postId, "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"CommentPosted\",\"schemaVersion\":1,"
                + "\"postId\":\"" + postId + "\"}");
        send(Topics.POSTS, postId, "[]");
        publishComment(postId, 1, null, "Ann", address("ann"), true, "still flowing");

        awaitMail(address("olga"), 1);
        List<ConsumerRecord<String, String>> comments = deadLetters(Topics.COMMENTS, key, 3);
        assertThat(comments).extracting(record -> exceptionMessage(record)).satisfiesExactly(
                reason -> assertThat(reason).contains("not a CommentEvent"),
                reason -> assertThat(reason).contains("unsupported schemaVersion 99"),
                reason -> assertThat(reason).contains("comment is required"));
        assertThat(comments.get(0).value()).isEqualTo("{ this is not json");
        assertThat(deadLetters(Topics.POSTS, key, 1)).hasSize(1);
        assertThat(deadLettered(Topics.COMMENTS) - deadBefore).isEqualTo(3);
    }

    /** A type added to the topic after this build (say, comment pins) is skipped and counted, not dead-lettered. */
    @Test
    void anEventOfATypeThisServiceDoesNotHandleIsSkippedAndCountedAndTheConsumerGoesOn() throws Exception {
        confirm(address("ann"), "Ann");
        UUID postId = publishPost("Pins are coming", "pins-are-coming", "Olga", address("olga"));
        CommentEvent ann = publishComment(postId, 1, null, "Ann", address("ann"), true, "typo hree");
        double skippedBefore = skipped(Topics.COMMENTS, "CommentPinned");
        double deadBefore = deadLettered(Topics.COMMENTS);
        // Its own payload shape and a later schema version: nothing of it is parsed.
        send(Topics.COMMENTS, postId, "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"CommentPinned\",\"schemaVersion\":2,"
                + "\"occurredAt\":\"" + Instant.now() + "\",\"postId\":\"" + postId + "\","
                + "\"pin\":{\"commentId\":\"" + ann.comment().id() + "\",\"until\":\"tomorrow\"}}");
        publishComment(postId, 2, ann.comment().id(), "Bob", address("bob"), true, "marker");

        awaitMail(address("ann"), 1); // the marker's email: the record before it on the partition is done
        awaitMail(address("olga"), 2);
        assertThat(skipped(Topics.COMMENTS, "CommentPinned") - skippedBefore).isEqualTo(1);
        assertThat(deadLettered(Topics.COMMENTS)).isEqualTo(deadBefore);
        try (TopicReader dlt = new TopicReader(environment.getProperty("spring.kafka.bootstrap-servers"),
                Topics.deadLetterTopic(Topics.COMMENTS, "notification-service"))) {
            assertThat(dlt.readToEnd()).noneMatch(record -> postId.toString().equals(record.key()));
        }
        assertThat(jdbc.sql("select count(*) from thread_comment where post_id = :id").param("id", postId)
                .query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void oneClickUnsubscribeStopsTheThreadAndTheConfirmationPageChangesNothing() throws Exception {
        for (String name : List.of("ann", "bob", "cy")) {
            confirm(address(name), name);
        }
        UUID postId = publishPost("Unsubscribing", "unsubscribing", "Olga", address("olga"));
        publishComment(postId, 1, null, "Ann", address("ann"), true, "one");
        publishComment(postId, 2, null, "Bob", address("bob"), true, "two");
        awaitMail(address("ann"), 1);
        String header = ReceivedMail.header(mailTo(address("ann")).get(0), "List-Unsubscribe");
        String token = header.substring(header.indexOf("token=") + "token=".length(), header.length() - 1);

        http.perform(get("/unsubscribe").param("token", token).accept(MediaType.TEXT_HTML))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("Stop emails about Unsubscribing")))
                .andExpect(content().string(org.hamcrest.Matchers.containsString("a***@" + domain)))
                .andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(address("ann")))));
        assertThat(unsubscriptions()).isZero();

        http.perform(post("/unsubscribe").param("token", token)
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("List-Unsubscribe=One-Click"))
                .andExpect(status().isNoContent());
        http.perform(post("/unsubscribe").param("token", token).accept(MediaType.TEXT_HTML))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("You are unsubscribed")))
                .andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(address("ann")))));
        assertThat(unsubscriptions()).isEqualTo(1);

        publishComment(postId, 3, null, "Cy", address("cy"), true, "three");
        awaitMail(address("bob"), 1);
        awaitMail(address("olga"), 3);
        assertThat(mailTo(address("ann"))).hasSize(1);
    }

    @Test
    void badUnsubscribeTokensGetAClearAnswer() throws Exception {
        http.perform(get("/unsubscribe").param("token", "garbage").accept(MediaType.TEXT_HTML))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("This unsubscribe link does not work")));
        http.perform(post("/unsubscribe").param("token", "garbage")
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("List-Unsubscribe=One-Click"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("https://replyensemble.org/problems/invalid-unsubscribe-token"));
    }

    @Test
    void theOperatorApiShowsDeliveriesWithoutAddresses() throws Exception {
        confirm(address("ann"), "Ann");
        UUID postId = publishPost("Operators", "operators", "Olga", address("olga"));
        CommentEvent ann = publishComment(postId, 1, null, "Ann", address("ann"), true, "hi");
        awaitMail(address("olga"), 1);
        await().atMost(MAIL_WAIT).until(() -> jdbc.sql("select status from delivery where comment_id = :id")
                .param("id", ann.comment().id()).query(String.class).single().equals("SENT"));

        String body = http.perform(operator(get("/api/deliveries")).param("commentId", ann.comment().id().toString()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.deliveries.length()").value(1))
                .andExpect(jsonPath("$.deliveries[0].recipient").value("o***@" + domain))
                .andExpect(jsonPath("$.deliveries[0].reason").value("POST_AUTHOR"))
                .andExpect(jsonPath("$.deliveries[0].status").value("SENT"))
                .andExpect(jsonPath("$.deliveries[0].attempts").value(1))
                .andReturn().getResponse().getContentAsString();
        assertThat(body).doesNotContain(address("olga")).doesNotContain(address("ann"));
        long id = jdbc.sql("select id from delivery where comment_id = :id").param("id", ann.comment().id()).query(Long.class).single();

        String all = http.perform(operator(get("/api/deliveries")).param("size", "200")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        // Every address in the answer is masked: nothing but "***" right before an "@".
        assertThat(all).contains("***@").doesNotContainPattern("[^*]@");
        http.perform(operator(get("/api/deliveries")).param("status", "LOST"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("status"));
        http.perform(operator(get("/api/deliveries")).param("commentId", "not-a-uuid"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("commentId"));
        http.perform(operator(post("/api/deliveries/{id}/retry", id)))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("https://replyensemble.org/problems/delivery-not-failed"));
        http.perform(operator(post("/api/deliveries/{id}/retry", Long.MAX_VALUE))).andExpect(status().isNotFound());

        // An operator redrives a FAILED delivery: it is sent again, with the same derived Message-ID.
        jdbc.sql("update delivery set status = 'FAILED', attempts = 8 where id = :id").param("id", id).update();
        http.perform(operator(post("/api/deliveries/{id}/retry", id)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("PENDING"))
                .andExpect(jsonPath("$.attempts").value(0));
        awaitMail(address("olga"), 2);
        assertThat(mailTo(address("olga"))).extracting(MimeMessage::getMessageID).containsOnly(
                MessageIds.forReply(ann.comment().id(), address("olga"), "replyensemble.local"));
    }

    @Test
    void theOperatorApiNeedsAnOperatorAndARefusedCallChangesNothing() throws Exception {
        confirm(address("ann"), "Ann");
        UUID postId = publishPost("Locked log", "locked-log", "Olga", address("olga"));
        CommentEvent ann = publishComment(postId, 1, null, "Ann", address("ann"), true, "hi");
        awaitMail(address("olga"), 1);
        await().atMost(MAIL_WAIT).until(() -> jdbc.sql("select status from delivery where comment_id = :id")
                .param("id", ann.comment().id()).query(String.class).single().equals("SENT"));
        long id = jdbc.sql("select id from delivery where comment_id = :id").param("id", ann.comment().id()).query(Long.class).single();
        jdbc.sql("update delivery set status = 'FAILED', attempts = 8 where id = :id").param("id", id).update();
        String author = TestIssuer.bearer(ISSUER.token("idp-ann", "Ann", "ann@example.org", "author"));

        http.perform(get("/api/deliveries"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("https://replyensemble.org/problems/authentication-required"));
        http.perform(get("/api/deliveries").header(HttpHeaders.AUTHORIZATION, ANN.basic()))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value("Your account may not do this (it needs the role OPERATOR)."));
        http.perform(get("/api/deliveries").header(HttpHeaders.AUTHORIZATION, author)).andExpect(status().isForbidden());
        for (String who : new String[] { null, ANN.basic(), author, OLGA.withWrongPassword().basic() }) {
            var retry = post("/api/deliveries/{id}/retry", id).contentType(MediaType.APPLICATION_JSON);
            http.perform(who == null ? retry : retry.header(HttpHeaders.AUTHORIZATION, who))
                    .andExpect(status().is4xxClientError());
        }
        // A hidden form on another site, submitted by the operator's browser with its cached credentials.
        http.perform(post("/api/deliveries/{id}/retry", id).header(HttpHeaders.AUTHORIZATION, OLGA.basic())
                        .header("Sec-Fetch-Site", "cross-site").contentType(MediaType.APPLICATION_FORM_URLENCODED))
                .andExpect(status().isUnauthorized());
        http.perform(post("/api/deliveries/{id}/retry", id).header(HttpHeaders.AUTHORIZATION, OLGA.basic()))
                .andExpect(status().isUnauthorized()); // no JSON content type: the credentials do not count
        assertThat(jdbc.sql("select status || '/' || attempts from delivery where id = :id").param("id", id)
                .query(String.class).single()).isEqualTo("FAILED/8");
        assertThat(mailTo(address("olga"))).hasSize(1);

        // An operator's token from the identity provider works like an operator account.
        http.perform(get("/api/deliveries").param("commentId", ann.comment().id().toString())
                        .header(HttpHeaders.AUTHORIZATION, TestIssuer.bearer(ISSUER.token("idp-olga", "Olga", "olga@example.org", "operator"))))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.deliveries[0].status").value("FAILED"));
    }

    @Test
    void onlyAnOperatorConfirmsAnAddressAndARefusedCallStoresNothing() throws Exception {
        String body = "{\"email\":\"" + address("eve") + "\",\"name\":\"Eve\"}";
        String author = TestIssuer.bearer(ISSUER.token("idp-ann", "Ann", "ann@example.org", "author"));
        http.perform(post("/api/addresses/confirmations").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().exists(HttpHeaders.WWW_AUTHENTICATE));
        for (String who : new String[] { ANN.basic(), author }) {
            http.perform(post("/api/addresses/confirmations").header(HttpHeaders.AUTHORIZATION, who)
                            .contentType(MediaType.APPLICATION_JSON).content(body))
                    .andExpect(status().isForbidden())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        }
        // The operator's browser, lured into a cross-site form: its cached credentials do not count.
        http.perform(post("/api/addresses/confirmations").header(HttpHeaders.AUTHORIZATION, OLGA.basic())
                        .header("Sec-Fetch-Site", "cross-site").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                        .content("email=" + address("eve") + "&name=Eve"))
                .andExpect(status().isUnauthorized());
        assertThat(addressRows(address("eve"))).isZero();

        confirm(address("eve"), "Eve");
        assertThat(jdbc.sql("select confirmed_by from address where email = :email").param("email", address("eve"))
                .query(String.class).single()).isEqualTo("OPERATOR");
    }

    @Test
    void theLinksOfTheEmailsNeedNoAccountEvenFromABrowserThatHoldsOne() throws Exception {
        UUID postId = publishPost("Public links", "public-links", "Olga", address("olga"));
        String token = unsubscribeTokens.sign(UnsubscribeScope.thread(address("olga"), postId));
        http.perform(get("/unsubscribe").param("token", token)).andExpect(status().isOk());
        // The page's form, from a browser that also holds the operator's Basic credentials for this host.
        http.perform(post("/unsubscribe").param("token", token).header(HttpHeaders.AUTHORIZATION, OLGA.basic())
                        .accept(MediaType.TEXT_HTML).contentType(MediaType.APPLICATION_FORM_URLENCODED))
                .andExpect(status().isOk());
        assertThat(jdbc.sql("select count(*) from thread_preference where post_id = :post and mode = 'NONE'").param("post", postId)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void theActuatorAndApiDocumentsAreOnTheManagementPortOnly() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.util.function.BiFunction<String, String, java.net.http.HttpResponse<String>> fetch = (port, path) -> {
            try {
                return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        String publicPort = environment.getProperty("local.server.port");
        String managementPort = environment.getProperty("local.management.port");
        assertThat(fetch.apply(publicPort, "/readyz").statusCode()).isEqualTo(200);
        assertThat(fetch.apply(publicPort, "/livez").statusCode()).isEqualTo(200);
        for (String path : List.of("/actuator/health", "/actuator/prometheus", "/actuator/metrics", "/v3/api-docs", "/swagger-ui.html")) {
            assertThat(fetch.apply(publicPort, path).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(fetch.apply(managementPort, "/actuator/health").statusCode()).isEqualTo(200);
        assertThat(fetch.apply(managementPort, "/actuator/prometheus").body()).contains("notifications_");
        assertThat(fetch.apply(managementPort, "/actuator/openapi").body()).contains("/api/deliveries");
    }

    // --- helpers ---

    private long addressRows(String email) {
        return jdbc.sql("select count(*) from address where email = :email").param("email", email).query(Long.class).single();
    }

    private long unsubscriptions() {
        return jdbc.sql("select count(*) from thread_preference where email = :email and mode = 'NONE'").param("email", address("ann"))
                .query(Long.class).single();
    }

    private double skipped(String topic, String type) {
        var counter = meters.find("events.skipped").tag("topic", topic).tag("type", type).counter();
        return counter == null ? 0 : counter.count();
    }

    private double deadLettered(String topic) {
        var counter = meters.find("events.dead_lettered").tag("topic", topic).counter();
        return counter == null ? 0 : counter.count();
    }

    private List<ConsumerRecord<String, String>> deadLetters(String topic, String key, int expected) {
        String deadLetterTopic = Topics.deadLetterTopic(topic, "notification-service");
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (Consumer<String, String> consumer = consumers.createConsumer("dlt-reader-" + UUID.randomUUID(), null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(deadLetterTopic).stream()
                    .map(info -> new TopicPartition(deadLetterTopic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(MAIL_WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                });
                return found.size() >= expected;
            });
        }
        return found;
    }

    private static String exceptionMessage(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader("kafka_dlt-exception-message");
        return header == null ? "" : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
