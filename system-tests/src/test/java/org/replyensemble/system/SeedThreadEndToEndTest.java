package org.replyensemble.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
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
import org.replyensemble.local.seeds.ExpectedEmails;
import org.replyensemble.local.seeds.ReplayResult;
import org.replyensemble.local.seeds.SeedReplay;
import org.replyensemble.local.seeds.SeedThread;
import org.replyensemble.testing.ProducedEvents;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * The reference test: the seed thread replayed through the public REST APIs of the three
 * services must give exactly the emails in seeds/vitamin-k2-thread.expected.json, as received
 * by a real SMTP server, and replaying every event again must send nothing more.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeedThreadEndToEndTest {

    private static final Pattern COMMENT_IN_MESSAGE_ID = Pattern.compile("<comment-([0-9a-f-]{36})\\.");
    private static final Duration MAIL_WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withPerMethodLifecycle(false);

    private static final Path SEEDS = Path.of(System.getProperty("seeds.dir", "../seeds"));
    private static final SeedThread thread = SeedThread.read(SEEDS.resolve("vitamin-k2-thread.json"));
    private static final ExpectedEmails expected = ExpectedEmails.read(SEEDS.resolve("vitamin-k2-thread.expected.json"));
    private static final HttpClient http = HttpClient.newHttpClient();

    private static Ensemble ensemble;
    private static ReplayResult replay;
    private static Map<UUID, Integer> refsByCommentId;

    @BeforeAll
    static void replaySeedThread() {
        ensemble = Ensemble.start(smtp.getSmtp().getPort());
        replay = new SeedReplay(ensemble.postService(), ensemble.commentService()).replay(thread);
        refsByCommentId = replay.commentIds().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
        await().atMost(MAIL_WAIT).untilAsserted(() -> assertThat(smtp.getReceivedMessages()).hasSizeGreaterThanOrEqualTo(expected.size()));
        // Every delivery written is settled: no further mail can come, so the counts below are final.
        await().atMost(MAIL_WAIT).untilAsserted(() -> assertThat(ensemble.notificationsDatabase()
                .sql("select count(*) from delivery where status <> 'SENT'").query(Long.class).single()).isZero());
    }

    @AfterAll
    static void stop() {
        if (ensemble != null) {
            ensemble.close();
        }
    }

    @Test
    @Order(1)
    void everyParticipantGetsExactlyTheEmailsTheRulesGive() {
        Set<String> expectedEmails = expected.emails().stream()
                .map(e -> e.commentRef() + " -> " + e.recipient())
                .collect(Collectors.toSet());
        List<String> received = received().stream().map(m -> m.commentRef() + " -> " + m.recipient()).toList();

        assertThat(received).doesNotHaveDuplicates();
        assertThat(new HashSet<>(received)).isEqualTo(expectedEmails);
        assertThat(received).hasSize(60);
    }

    @Test
    @Order(2)
    void aDirectReplySaysSoAndEveryOtherEmailIsAThreadUpdate() {
        String title = thread.post().title();
        Map<String, ReceivedEmail> byKey = received().stream().collect(Collectors.toMap(m -> m.commentRef() + " " + m.recipient(), m -> m));
        for (ExpectedEmails.Email email : expected.emails()) {
            ReceivedEmail mail = byKey.get(email.commentRef() + " " + email.recipient());
            String commenter = thread.comment(email.commentRef()).author().name();
            if (email.kind() == ExpectedEmails.Kind.DIRECT_REPLY) {
                assertThat(mail.subject()).isEqualTo(commenter + " replied to your comment on " + title);
            } else {
                assertThat(mail.subject()).isEqualTo("New reply on " + title);
            }
        }
        assertThat(expected.emails()).filteredOn(e -> e.kind() == ExpectedEmails.Kind.DIRECT_REPLY).hasSize(7);
    }

    @Test
    @Order(3)
    void nobodyIsEmailedAboutTheirOwnComment() {
        for (ReceivedEmail mail : received()) {
            String author = thread.comment(mail.commentRef()).author().email();
            assertThat(mail.recipient()).as("recipient of comment %d", mail.commentRef()).isNotEqualToIgnoringCase(author);
        }
    }

    @Test
    @Order(4)
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
    @Order(5)
    void everyEventTheServicesPublishedHoldsToTheContract() {
        String brokers = System.getProperty("spring.kafka.bootstrap-servers");
        String post = replay.postId().toString();
        assertThat(ProducedEvents.assertAllHold(brokers, Topics.POSTS)).filteredOn(record -> post.equals(record.key())).isNotEmpty();
        assertThat(ProducedEvents.assertAllHold(brokers, Topics.COMMENTS)).filteredOn(record -> post.equals(record.key()))
                .hasSize(thread.comments().size());
    }

    @Test
    @Order(6)
    void replayingEveryEventAgainSendsNoFurtherMail() throws Exception {
        int before = smtp.getReceivedMessages().length;
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
        // The whole topic was consumed again; any email it caused would be a delivery row first.
        assertThat(ensemble.notificationsDatabase().sql("select count(*) from delivery").query(Long.class).single()).isEqualTo(60);
        assertThat(smtp.getReceivedMessages()).hasSize(before);
    }

    private List<ReceivedEmail> received() {
        List<ReceivedEmail> emails = new ArrayList<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            try {
                Matcher matcher = COMMENT_IN_MESSAGE_ID.matcher(message.getMessageID());
                assertThat(matcher.find()).as("Message-ID %s names its comment", message.getMessageID()).isTrue();
                Integer ref = refsByCommentId.get(UUID.fromString(matcher.group(1)));
                assertThat(ref).as("comment of %s", message.getMessageID()).isNotNull();
                String recipient = ((InternetAddress) message.getRecipients(MimeMessage.RecipientType.TO)[0]).getAddress();
                emails.add(new ReceivedEmail(ref, recipient.toLowerCase(), message.getSubject()));
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return emails;
    }

    private record ReceivedEmail(int commentRef, String recipient, String subject) {
    }
}
