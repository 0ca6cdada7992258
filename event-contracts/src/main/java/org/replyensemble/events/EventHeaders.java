package org.replyensemble.events;

/**
 * The Kafka headers every event carries beside its JSON value, repeating the envelope so a
 * consumer can route or skip a record without parsing it. Part of the contract: the AsyncAPI
 * document declares them, and the contract tests check them on every produced record.
 */
public final class EventHeaders {

    public static final String EVENT_ID = "event-id";
    public static final String EVENT_TYPE = "event-type";
    public static final String SCHEMA_VERSION = "schema-version";

    private EventHeaders() {
    }
}
