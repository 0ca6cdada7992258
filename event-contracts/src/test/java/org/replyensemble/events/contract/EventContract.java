package org.replyensemble.events.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.replyensemble.events.EventHeaders;
import org.replyensemble.events.Topics;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The published contract as a test assertion: a record as it went to Kafka holds when its value
 * is valid against its topic's JSON Schema (draft 2020-12, formats asserted: uuid, date-time,
 * email), its key is the event's post id, and its headers event-id, event-type and
 * schema-version are present once each and say what the payload says.
 *
 * <p>Producers' tests read their topic and pass every record here, so a produced event that
 * breaks its schema fails a test. Shipped in event-contracts' test-jar, which ensemble-testing
 * brings to every module's tests.
 */
public final class EventContract {

    /** The current schema of each topic (class-path resources of event-contracts). */
    public static final Map<String, String> SCHEMAS = Map.of(
            Topics.POSTS, "events/post-event.v1.schema.json",
            Topics.COMMENTS, "events/comment-event.v1.schema.json",
            Topics.ERASURES, "events/erasure-event.v1.schema.json");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    // Since draft 2019-09 "format" only annotates unless asked to assert.
                    .formatAssertionsEnabled(true)
                    .build()));
    private static final Map<String, Schema> LOADED = new ConcurrentHashMap<>();

    private EventContract() {
    }

    /** Fails with every violation of every record, each named by topic, partition and offset. */
    public static void assertHold(Collection<ConsumerRecord<String, String>> records) {
        List<String> problems = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            violations(record).forEach(problem -> problems.add(where(record) + ": " + problem));
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("Records break the event contract:\n  " + String.join("\n  ", problems));
        }
    }

    public static void assertHolds(ConsumerRecord<String, String> record) {
        assertHold(List.of(record));
    }

    /** Every way the record breaks the contract; empty when it holds. */
    public static List<String> violations(ConsumerRecord<String, String> record) {
        List<String> problems = new ArrayList<>(violations(record.topic(), record.value()));
        JsonNode payload;
        try {
            payload = record.value() == null ? null : JSON.readTree(record.value());
        } catch (JacksonException e) {
            return problems; // already reported by the schema check
        }
        if (payload == null || !payload.isObject()) {
            return problems;
        }
        header(record, EventHeaders.EVENT_ID, payload.path("eventId"), problems);
        header(record, EventHeaders.EVENT_TYPE, payload.path("type"), problems);
        header(record, EventHeaders.SCHEMA_VERSION, payload.path("schemaVersion"), problems);
        // Erasures are keyed by their subject (the address's HMAC), every other topic by post id.
        String keyField = Topics.ERASURES.equals(record.topic()) ? "subject" : "postId";
        String postId = payload.path(keyField).asString(null);
        if (record.key() == null || !record.key().equals(postId)) {
            problems.add("key " + record.key() + " is not the event's postId " + postId);
        }
        return problems;
    }

    /** Every way the payload breaks its topic's JSON Schema; empty when it is valid. */
    public static List<String> violations(String topic, String payload) {
        if (payload == null) {
            return List.of("no value (a tombstone is not an event)");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(payload);
        } catch (JacksonException e) {
            return List.of("not JSON: " + e.getOriginalMessage());
        }
        List<String> problems = new ArrayList<>();
        for (Error error : schemaOf(topic).validate(tree)) {
            String location = error.getInstanceLocation().toString();
            problems.add((location.isEmpty() ? "/" : location) + ": " + error.getMessage());
        }
        JsonNode schema = JSON.readTree(read(SCHEMAS.get(topic)));
        undocumented(tree, schema, schema, "", problems);
        return problems;
    }

    /**
     * The schemas leave additional properties open on purpose (consumers must accept fields added
     * later), so the validator alone would let a producer send a field nobody documented. This
     * walks the payload beside the schema and reports every property the schema does not declare.
     */
    private static void undocumented(JsonNode value, JsonNode schemaNode, JsonNode root, String path, List<String> problems) {
        JsonNode node = schemaNode;
        while (node.has("$ref") && node.get("$ref").asString().startsWith("#")) {
            node = root.at(node.get("$ref").asString().substring(1));
        }
        JsonNode declared = node.path("properties");
        if (!value.isObject() || !declared.isObject()) {
            return;
        }
        for (String name : value.propertyNames()) {
            if (!declared.has(name)) {
                problems.add(path + "/" + name + ": not declared in the schema");
            } else {
                undocumented(value.get(name), declared.get(name), root, path + "/" + name, problems);
            }
        }
    }

    /** The schema of a topic, compiled once per JVM. */
    public static Schema schemaOf(String topic) {
        String resource = SCHEMAS.get(topic);
        if (resource == null) {
            throw new IllegalArgumentException("No schema is published for topic " + topic + " (known: " + SCHEMAS.keySet() + ")");
        }
        return LOADED.computeIfAbsent(resource, name -> REGISTRY.getSchema(read(name), InputFormat.JSON));
    }

    /** A class-path resource as text (the schemas live in event-contracts' main resources). */
    public static String read(String resource) {
        try (InputStream in = EventContract.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No class-path resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void header(ConsumerRecord<String, String> record, String name, JsonNode expected, List<String> problems) {
        List<Header> found = new ArrayList<>();
        record.headers().headers(name).forEach(found::add);
        if (found.size() != 1) {
            problems.add("header " + name + " present " + found.size() + " times, expected once");
            return;
        }
        String value = new String(found.get(0).value(), StandardCharsets.UTF_8);
        String payloadValue = expected.isMissingNode() || expected.isNull() ? null : expected.asString();
        if (!value.equals(payloadValue)) {
            problems.add("header " + name + " is '" + value + "' but the payload says '" + payloadValue + "'");
        }
    }

    private static String where(ConsumerRecord<String, String> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
