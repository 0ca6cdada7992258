package org.replyensemble.testing;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.replyensemble.events.contract.EventContract;

/** What a producer really sent, held to the published contract. */
public final class ProducedEvents {

    private ProducedEvents() {
    }

    /**
     * Reads the whole topic, as a subscriber would, and fails unless every record on it holds to
     * the event contract (JSON Schema with formats, key, headers; see {@link EventContract}).
     * Returns the records checked.
     */
    public static List<ConsumerRecord<String, String>> assertAllHold(String bootstrapServers, String topic) {
        if (bootstrapServers == null) {
            throw new IllegalStateException("No bootstrap servers: is the embedded broker running?");
        }
        try (TopicReader reader = new TopicReader(bootstrapServers, topic)) {
            List<ConsumerRecord<String, String>> records = reader.readToEnd();
            EventContract.assertHold(records);
            return records;
        }
    }
}
