package org.replyensemble.posts.posts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.ErasureEvent;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.events.Topics;
import org.replyensemble.events.contract.EventContract;
import org.replyensemble.outbox.OutboxRelay;
import org.replyensemble.posts.PostServiceTest;
import org.replyensemble.support.erasure.ErasureKey;
import org.replyensemble.testing.TestAccount;
import org.replyensemble.testing.TestIssuer;
import org.replyensemble.testing.TopicReader;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

import tools.jackson.databind.json.JsonMapper;

/**
 * Erasure and export of a person in post-service: the operator's calls, the post's state published
 * again without the address, the request on blog.erasures.v1, and compaction leaving no record with
 * the address.
 */
class ErasureTest extends PostServiceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CAL = TestIssuer.bearer(ISSUER.token("idp-cal", "Cal Author", "Cal.Erased@Example.org", "author"));
    private static final String DEE = TestIssuer.bearer(ISSUER.token("idp-dee", "Dee Author", "dee.compacted@example.org", "author"));

    @Autowired
    Erasures erasures;

    @Autowired
    ErasureKey key;

    @Autowired
    DataSource dataSource;

    @Test
    void onlyAnOperatorMayEraseOrExportAndABadAddressStoresNothing() throws Exception {
        mvc.perform(operatorCall("/api/operator/erasures", ANN, "ann@example.com")).andExpect(status().isForbidden());
        mvc.perform(operatorCall("/api/operator/exports", ANN, "ann@example.com")).andExpect(status().isForbidden());
        mvc.perform(post("/api/operator/erasures").contentType(MediaType.APPLICATION_JSON)
                .content("{\"email\":\"ann@example.com\"}")).andExpect(status().isUnauthorized());
        long erasuresBefore = rows("erasure");
        mvc.perform(operatorCall("/api/operator/erasures", OLGA, "not an address"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").exists());
        assertThat(rows("erasure")).isEqualTo(erasuresBefore);
    }

    @Test
    void erasureRemovesTheAddressFromEveryRowAndTheCompactedTopicAndTheExportSaysSo() throws Exception {
        String address = "cal.erased@example.org";
        String first = publishAsCal("Cal's first");
        String second = publishAsCal("Cal's second");
        String annsPost = idOf(mvc.perform(post("/api/posts").header(HttpHeaders.AUTHORIZATION, ANN.basic())
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\":\"Ann stays\",\"body\":\"Hello\"}")));
        // The creations must be on the topic first: an erasure that finds them still in the outbox deletes
        // them there (erasureBeforeTheRelayRanPublishesOnlyTheStateWithoutTheAddress), and then the topic
        // holds one record per post, not two.
        awaitPublished(first, 1);
        awaitPublished(second, 1);

        // The export shows exactly what is stored: both posts, with the address as stored.
        String export = mvc.perform(operatorCall("/api/operator/exports", OLGA, "CAL.erased@example.org"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(JSON.readTree(export).get("posts")).hasSize(2);
        assertThat(JSON.readTree(export).at("/posts/0/authorEmail").asString()).isEqualTo("Cal.Erased@Example.org");
        assertThat(JSON.readTree(export).get("erased").asBoolean()).isFalse();

        mvc.perform(operatorCall("/api/operator/erasures", OLGA, "Cal.Erased@example.org"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.postsWithoutAuthorAddress").value(2));

        // Each post's new state, without the address, reaches the topic with a new revision.
        try (TopicReader posts = new TopicReader(bootstrapServers, Topics.POSTS)) {
            for (String id : List.of(first, second)) {
                List<ConsumerRecord<String, String>> records = await().atMost(Duration.ofSeconds(15))
                        .until(() -> posts.withKey(id), found -> found.size() == 2);
                EventContract.assertHold(records);
                PostEvent latest = EventJson.readPostEvent(records.get(1).value()).known().orElseThrow();
                assertThat(latest.post().author().email()).isEqualTo(Person.ERASED_EMAIL);
                assertThat(latest.post().author().name()).isEqualTo("Cal Author");
                assertThat(latest.post().revision()).isEqualTo(2);
            }
            assertThat(posts.withKey(annsPost)).hasSize(1);
        }

        // The request, keyed by the subject, carries the address until it is sealed.
        String subject = key.subject(address);
        try (TopicReader requests = new TopicReader(bootstrapServers, Topics.ERASURES)) {
            List<ConsumerRecord<String, String>> records = await().atMost(Duration.ofSeconds(15))
                    .until(() -> requests.withKey(subject), found -> !found.isEmpty());
            EventContract.assertHold(records);
            ErasureEvent request = EventJson.readErasureEvent(records.get(0).value()).orElseThrow();
            assertThat(request.type()).isEqualTo(ErasureEvent.REQUESTED);
            assertThat(request.email()).isEqualTo(address);

            await().atMost(Duration.ofSeconds(15)).until(() -> erasures.sealBatch(100, Duration.ZERO) > 0
                    || jdbc.sql("select sealed_at is not null from erasure where subject = ?").param(subject).query(Boolean.class).single());
            List<ConsumerRecord<String, String>> both = await().atMost(Duration.ofSeconds(15))
                    .until(() -> requests.withKey(subject), found -> found.size() == 2);
            EventContract.assertHold(both);
            ErasureEvent sealed = EventJson.readErasureEvent(both.get(1).value()).orElseThrow();
            assertThat(sealed.type()).isEqualTo(ErasureEvent.SEALED);
            assertThat(both.get(1).value()).doesNotContain("@");
        }

        // Once the relay published the sealed record, no table holds the address in any text column.
        await().atMost(Duration.ofSeconds(15)).until(() -> rowsContaining(address).isEmpty());
        assertThat(rowsContaining("cal.erased")).isEmpty();

        String after = mvc.perform(operatorCall("/api/operator/exports", OLGA, address))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(JSON.readTree(after).get("posts")).isEmpty();
        assertThat(JSON.readTree(after).get("erased").asBoolean()).isTrue();

        // Asking again changes nothing here: no post has the address any more.
        mvc.perform(operatorCall("/api/operator/erasures", OLGA, address))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.postsWithoutAuthorAddress").value(0));
        assertThat(jdbc.sql("select revision from post where id = ?").param(UUID.fromString(first)).query(Long.class).single())
                .isEqualTo(2);
    }

    /**
     * Compaction on the shared broker: blog.posts.v1 is compacted no sooner than an hour after a
     * record (min.compaction.lag.ms) and its segments roll daily, so a test cannot wait for it. The
     * post's records are copied, in order and with their keys, to a topic of this test whose settings
     * let the broker's log cleaner run at once; what survives is what blog.posts.v1 keeps after its
     * own compaction: no record with the address.
     */
    @Test
    void compactionLeavesNoRecordWithTheAddress() throws Exception {
        String address = "dee.compacted@example.org";
        String id = idOf(mvc.perform(post("/api/posts").header(HttpHeaders.AUTHORIZATION, DEE)
                .contentType(MediaType.APPLICATION_JSON)
                .content(JSON.writeValueAsString(Map.of("title", "Dee's post", "body", "Text")))));
        // The record with the address must be on the topic for compaction to have something to drop.
        awaitPublished(id, 1);
        mvc.perform(operatorCall("/api/operator/erasures", OLGA, address)).andExpect(status().isAccepted());
        List<ConsumerRecord<String, String>> original = awaitPublished(id, 2);
        assertThat(original.get(0).value()).contains(address);

        String topic = "erasure-compaction-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(), new StringSerializer())) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()).configs(Map.of(
                    "cleanup.policy", "compact", "segment.ms", "100", "min.compaction.lag.ms", "0",
                    "min.cleanable.dirty.ratio", "0.001", "delete.retention.ms", "0")))).all().get();
            for (ConsumerRecord<String, String> record : original) {
                producer.send(new ProducerRecord<>(topic, record.key(), record.value())).get();
            }
            // A segment rolls only when a record arrives after segment.ms, and the active segment is
            // never cleaned: keep writing another key until the cleaner has run over the post's records.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                producer.send(new ProducerRecord<>(topic, "filler", "{}")).get();
                List<ConsumerRecord<String, String>> left = readAll(topic);
                return left.stream().noneMatch(record -> record.value().contains(address))
                        && left.stream().anyMatch(record -> id.equals(record.key()));
            });
            List<ConsumerRecord<String, String>> left = readAll(topic).stream().filter(record -> id.equals(record.key())).toList();
            assertThat(left).hasSize(1);
            assertThat(EventJson.readPostEvent(left.get(0).value()).known().orElseThrow().post().author().email())
                    .isEqualTo(Person.ERASED_EMAIL);
            admin.deleteTopics(List.of(topic)).all().get();
        }
    }

    /**
     * An erasure that comes while the post's creation is still in the outbox deletes that row: the
     * creation, with the address, never reaches Kafka, and the post's first record there is its state
     * without the address. The test holds the relay's advisory lock (as a second instance relaying
     * would) so that the creation is surely still unpublished when the erasure commits.
     */
    @Test
    void erasureBeforeTheRelayRanPublishesOnlyTheStateWithoutTheAddress() throws Exception {
        String address = "fay.unpublished@example.org";
        String fay = TestIssuer.bearer(ISSUER.token("idp-fay", "Fay Author", "Fay.Unpublished@Example.org", "author"));
        String id;
        try (Connection otherRelay = dataSource.getConnection()) {
            otherRelay.setAutoCommit(true);
            try (PreparedStatement lock = otherRelay.prepareStatement("select pg_advisory_lock(?)")) {
                lock.setLong(1, OutboxRelay.RELAY_LOCK);
                lock.execute();
            }
            id = idOf(mvc.perform(post("/api/posts").header(HttpHeaders.AUTHORIZATION, fay)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(JSON.writeValueAsString(Map.of("title", "Fay's post", "body", "Text")))));
            assertThat(pendingPostEventsContaining(address)).isEqualTo(1);

            mvc.perform(operatorCall("/api/operator/erasures", OLGA, address))
                    .andExpect(status().isAccepted())
                    .andExpect(jsonPath("$.postsWithoutAuthorAddress").value(1));
            assertThat(pendingPostEventsContaining(address)).isZero();
            assertThat(jdbc.sql("select count(*) from outbox_message where topic = ? and message_key = ? and published_at is null")
                    .params(Topics.POSTS, id).query(Long.class).single()).isEqualTo(1);
            try (PreparedStatement unlock = otherRelay.prepareStatement("select pg_advisory_unlock(?)")) {
                unlock.setLong(1, OutboxRelay.RELAY_LOCK);
                unlock.execute();
            }
        }

        List<ConsumerRecord<String, String>> records = awaitPublished(id, 1);
        // The relay publishes in id order and has nothing of this post left: no creation can follow.
        assertThat(jdbc.sql("select count(*) from outbox_message where topic = ? and message_key = ? and published_at is null")
                .params(Topics.POSTS, id).query(Long.class).single()).isZero();
        EventContract.assertHold(records);
        assertThat(records.get(0).value()).doesNotContainIgnoringCase(address);
        PostEvent only = EventJson.readPostEvent(records.get(0).value()).known().orElseThrow();
        assertThat(only.type()).isEqualTo(PostEvent.UPDATED);
        assertThat(only.post().author().email()).isEqualTo(Person.ERASED_EMAIL);
        assertThat(only.post().revision()).isEqualTo(2);
    }

    /** Waits until the post's records on blog.posts.v1 number exactly {@code count}, and returns them. */
    private List<ConsumerRecord<String, String>> awaitPublished(String id, int count) {
        try (TopicReader posts = new TopicReader(bootstrapServers, Topics.POSTS)) {
            return await().atMost(Duration.ofSeconds(15)).until(() -> posts.withKey(id), found -> found.size() == count);
        }
    }

    private long pendingPostEventsContaining(String address) {
        return jdbc.sql("select count(*) from outbox_message where topic = ? and published_at is null and position(? in lower(payload)) > 0")
                .params(Topics.POSTS, address).query(Long.class).single();
    }

    private List<ConsumerRecord<String, String>> readAll(String topic) {
        try (TopicReader reader = new TopicReader(bootstrapServers, topic)) {
            return reader.readToEnd();
        }
    }

    /** Every row of every table in this service's schema whose text (any column, as text) contains the string. */
    private List<String> rowsContaining(String text) {
        List<String> tables = jdbc.sql("""
                select table_name from information_schema.tables
                 where table_schema = current_schema() and table_type = 'BASE TABLE'""")
                .query(String.class).list();
        List<String> found = new ArrayList<>();
        for (String table : tables) {
            jdbc.sql("select t::text from " + table + " t where position(? in lower(t::text)) > 0")
                    .param(text.toLowerCase())
                    .query(String.class).list()
                    .forEach(row -> found.add(table + ": " + row));
        }
        return found;
    }

    private String publishAsCal(String title) throws Exception {
        return idOf(mvc.perform(post("/api/posts").header(HttpHeaders.AUTHORIZATION, CAL)
                .contentType(MediaType.APPLICATION_JSON)
                .content(JSON.writeValueAsString(Map.of("title", title, "body", "Text")))));
    }

    private static org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder operatorCall(String uri,
            TestAccount account, String email) throws Exception {
        return post(uri).header(HttpHeaders.AUTHORIZATION, account.basic()).contentType(MediaType.APPLICATION_JSON)
                .content(JSON.writeValueAsString(Map.of("email", email)));
    }

    private static String idOf(ResultActions created) throws Exception {
        return JSON.readTree(created.andExpect(status().isCreated()).andReturn().getResponse().getContentAsString())
                .get("id").asString();
    }
}
