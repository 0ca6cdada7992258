package org.replyensemble.outbox;

import java.util.Map;

import org.replyensemble.events.Event;
import org.replyensemble.events.EventHeaders;
import org.replyensemble.events.EventJson;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import tools.jackson.databind.json.JsonMapper;

/**
 * Appends events to the outbox inside the caller's transaction: the event is stored if and
 * only if the business change commits, and the relay publishes it afterwards. Never send to
 * Kafka directly from a business transaction (that is the dual write this class exists to avoid).
 */
public class Outbox {

    public static final String EVENT_ID_HEADER = EventHeaders.EVENT_ID;
    public static final String EVENT_TYPE_HEADER = EventHeaders.EVENT_TYPE;
    public static final String SCHEMA_VERSION_HEADER = EventHeaders.SCHEMA_VERSION;

    private static final JsonMapper HEADERS_JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final OutboxRelay relay;

    public Outbox(JdbcClient jdbc, OutboxRelay relay) {
        this.jdbc = jdbc;
        this.relay = relay;
    }

    /** Appends an event keyed by its post id, so one post's events keep their order in Kafka. */
    public void append(String topic, Event event) {
        append(topic, event.postId().toString(), EventJson.write(event), Map.of(
                EVENT_ID_HEADER, event.eventId().toString(),
                EVENT_TYPE_HEADER, event.type(),
                SCHEMA_VERSION_HEADER, Integer.toString(event.schemaVersion())));
    }

    public void append(String topic, String key, String payload, Map<String, String> headers) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Outbox.append needs the business transaction it belongs to");
        }
        jdbc.sql("insert into outbox_message (topic, message_key, payload, headers) values (?, ?, ?, ?::jsonb)")
                .params(topic, key, payload, HEADERS_JSON.writeValueAsString(headers))
                .update();
        if (relay != null) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    relay.wakeUp();
                }
            });
        }
    }
}
