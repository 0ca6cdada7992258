package org.replyensemble.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.asyncapi.schemas.asyncapi.AsyncAPISchema;
import com.asyncapi.schemas.asyncapi.Reference;
import com.asyncapi.schemas.asyncapi.multiformat.MultiFormatSchema;
import com.asyncapi.v3._0_0.model.AsyncAPI;
import com.asyncapi.v3._0_0.model.channel.Channel;
import com.asyncapi.v3._0_0.model.channel.message.Message;
import com.asyncapi.v3._0_0.model.operation.Operation;
import com.asyncapi.v3._0_0.model.operation.OperationAction;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.contract.EventContract;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The AsyncAPI document, read by the AsyncAPI project's own Java model (com.asyncapi:asyncapi-core,
 * which refuses keys the 3.0 specification does not define), against the code: every topic of
 * {@link Topics} is a channel at its address, each channel's messages point at the schema files
 * the contract tests use, and the header enums list exactly the event types the records define.
 */
class AsyncApiDocumentTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, Set<String>> TYPES_BY_TOPIC = Map.of(
            Topics.POSTS, PostEvent.TYPES,
            Topics.COMMENTS, CommentEvent.TYPES,
            Topics.ERASURES, ErasureEvent.TYPES);
    private static final Map<String, Integer> SCHEMA_VERSION_BY_TOPIC = Map.of(
            Topics.POSTS, PostEvent.SCHEMA_VERSION,
            Topics.COMMENTS, CommentEvent.SCHEMA_VERSION,
            Topics.ERASURES, ErasureEvent.SCHEMA_VERSION);

    private static AsyncAPI document;

    @BeforeAll
    static void parse() throws Exception {
        try (InputStream in = AsyncApiDocumentTest.class.getClassLoader().getResourceAsStream("events/asyncapi.yaml")) {
            document = new ObjectMapper(new YAMLFactory()).readValue(in, AsyncAPI.class);
        }
    }

    @Test
    void isAnAsyncApi3DocumentWithAKafkaServer() {
        assertThat(document.getAsyncapi()).isEqualTo("3.0.0");
        assertThat(document.getInfo().getTitle()).isNotBlank();
        assertThat(document.getServers()).isNotEmpty();
    }

    @Test
    void everyObjectOfTheDocumentReadsAsItsAsyncApi3Type() {
        assertThat(notTyped(document)).isEmpty();
    }

    /**
     * The parser refuses a key the specification does not define, but reports it by printing the
     * error and leaving the object out rather than by throwing: the channel is then missing, and
     * the check that every topic is a channel fails.
     */
    @Test
    void aMisspeltKeyLeavesOutTheObjectSoTheChecksFail() throws Exception {
        String misspelt = EventContract.read("events/asyncapi.yaml").replaceFirst("address:", "adress:");
        AsyncAPI parsed = new ObjectMapper(new YAMLFactory()).readValue(misspelt, AsyncAPI.class);
        assertThat(parsed.getChannels()).doesNotContainKey("posts").containsKey("comments");
    }

    @Test
    void everyTopicOfTheCodeIsAChannelAtItsAddressAndNoOtherIs() {
        assertThat(channelsByAddress().keySet()).containsExactlyInAnyOrderElementsOf(topicsInCode());
        assertThat(TYPES_BY_TOPIC.keySet()).containsExactlyInAnyOrderElementsOf(topicsInCode());
        assertThat(EventContract.SCHEMAS.keySet()).containsExactlyInAnyOrderElementsOf(topicsInCode());
    }

    @Test
    void eachChannelsMessagePointsAtTheSchemaFileTheContractTestsUse() {
        channelsByAddress().forEach((topic, channel) -> {
            Message message = onlyMessage(channel);
            assertThat(message.getContentType()).isEqualTo("application/json");
            MultiFormatSchema<?> payload = (MultiFormatSchema<?>) message.getPayload();
            assertThat(payload.getSchemaFormat()).as(topic).isEqualTo("application/schema+json;version=draft-2020-12");
            String file = ((AsyncAPISchema) payload.getSchema()).getRef();
            assertThat(file).as(topic).startsWith("./");
            String resource = "events/" + file.substring(2);
            assertThat(resource).as("the schema of %s", topic).isEqualTo(EventContract.SCHEMAS.get(topic));
            JsonNode schema = JSON.readTree(EventContract.read(resource));
            assertThat(schema.path("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(schema.path("$id").asString()).endsWith("/" + file.substring(2));
            // The topic's version and the schema file's version go together (blog.posts.v1 -> *.v1.schema.json).
            String version = topic.substring(topic.lastIndexOf('.'));
            assertThat(file).as(topic).endsWith(version + ".schema.json");
        });
    }

    @Test
    void theHeaderEnumsAndTheSchemasListExactlyTheEventTypesTheRecordsDefine() {
        channelsByAddress().forEach((topic, channel) -> {
            Message message = onlyMessage(channel);
            AsyncAPISchema headers = (AsyncAPISchema) message.getHeaders();
            assertThat(headers.getRequired()).as(topic).containsExactlyInAnyOrder("event-id", "event-type", "schema-version");
            AsyncAPISchema type = (AsyncAPISchema) headers.getProperties().get("event-type");
            assertThat(type.getEnumValue()).as("event-type header of %s", topic)
                    .containsExactlyInAnyOrderElementsOf(TYPES_BY_TOPIC.get(topic));
            AsyncAPISchema version = (AsyncAPISchema) headers.getProperties().get("schema-version");
            assertThat(version.getConstValue()).as(topic).isEqualTo(String.valueOf(SCHEMA_VERSION_BY_TOPIC.get(topic)));
            assertThat(((AsyncAPISchema) headers.getProperties().get("event-id")).getFormat()).isEqualTo("uuid");

            JsonNode schema = JSON.readTree(EventContract.read(EventContract.SCHEMAS.get(topic)));
            Set<String> schemaTypes = new TreeSet<>();
            schema.at("/properties/type/enum").forEach(value -> schemaTypes.add(value.asString()));
            assertThat(schemaTypes).as("type enum of %s", EventContract.SCHEMAS.get(topic))
                    .containsExactlyInAnyOrderElementsOf(TYPES_BY_TOPIC.get(topic));
            assertThat(schema.at("/properties/schemaVersion/const").asInt()).isEqualTo(SCHEMA_VERSION_BY_TOPIC.get(topic));
        });
    }

    @Test
    void everyTopicHasItsProducerAndItsConsumersAndEveryOperationNamesAChannel() {
        Map<String, Channel> channels = channelsByName();
        Map<String, Set<OperationAction>> actions = new LinkedHashMap<>();
        document.getOperations().forEach((name, value) -> {
            Operation operation = (Operation) value;
            String ref = operation.getChannel().getRef();
            assertThat(ref).as(name).startsWith("#/channels/");
            Channel channel = channels.get(ref.substring("#/channels/".length()));
            assertThat(channel).as("channel of operation %s", name).isNotNull();
            actions.computeIfAbsent(channel.getAddress(), address -> new TreeSet<>()).add(operation.getAction());
        });
        assertThat(actions.keySet()).containsExactlyInAnyOrderElementsOf(topicsInCode());
        assertThat(actions.values()).allSatisfy(both -> assertThat(both).containsExactlyInAnyOrder(OperationAction.SEND, OperationAction.RECEIVE));
    }

    private static List<String> notTyped(AsyncAPI parsed) {
        List<String> problems = new ArrayList<>();
        parsed.getChannels().forEach((name, value) -> {
            if (!(value instanceof Channel)) {
                problems.add("channels." + name);
            }
        });
        parsed.getOperations().forEach((name, value) -> {
            if (!(value instanceof Operation)) {
                problems.add("operations." + name);
            }
        });
        parsed.getComponents().getMessages().forEach((name, value) -> {
            if (!(value instanceof Message)) {
                problems.add("components.messages." + name);
            }
        });
        return problems;
    }

    /** Every public constant of Topics that names a topic (blog.<name>.v<n>). */
    static Set<String> topicsInCode() {
        Set<String> topics = new TreeSet<>();
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    topics.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        assertThat(topics).allMatch(topic -> topic.matches("blog\\.[a-z]+\\.v[0-9]+"));
        return topics;
    }

    private static Map<String, Channel> channelsByName() {
        Map<String, Channel> channels = new LinkedHashMap<>();
        document.getChannels().forEach((name, channel) -> channels.put(name, (Channel) channel));
        return channels;
    }

    private static Map<String, Channel> channelsByAddress() {
        List<String> addresses = new ArrayList<>();
        Map<String, Channel> byAddress = channelsByName().values().stream().peek(channel -> addresses.add(channel.getAddress()))
                .collect(Collectors.toMap(Channel::getAddress, channel -> channel));
        assertThat(addresses).doesNotHaveDuplicates();
        return byAddress;
    }

    private static Message onlyMessage(Channel channel) {
        assertThat(channel.getMessages()).as(channel.getAddress()).hasSize(1);
        Object message = channel.getMessages().values().iterator().next();
        if (message instanceof Reference reference) {
            String ref = reference.getRef();
            assertThat(ref).startsWith("#/components/messages/");
            message = document.getComponents().getMessages().get(ref.substring("#/components/messages/".length()));
        }
        assertThat(message).as("message of %s", channel.getAddress()).isInstanceOf(Message.class);
        return (Message) message;
    }
}
