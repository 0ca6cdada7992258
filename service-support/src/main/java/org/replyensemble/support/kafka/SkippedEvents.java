package org.replyensemble.support.kafka;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.replyensemble.events.Event;
import org.replyensemble.events.EventRead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tolerant reader's other half: a record of a known topic whose event type this consumer
 * does not handle (a type added after this build, or one it has no use for) is skipped, counted
 * as {@code events.skipped{topic,type}} and logged once per type, and the consumer goes on. It is
 * not dead-lettered: nothing is wrong with it, and a producer must be able to add a type before
 * every consumer is upgraded. Records that are broken (not JSON, no type, an unsupported schema
 * version or missing fields of a known type) still fail with InvalidEventException, see
 * {@link DeadLetters}.
 */
public final class SkippedEvents {

    private static final Logger log = LoggerFactory.getLogger(SkippedEvents.class);
    /** The type comes from the record: only well-formed names become tag values... */
    private static final Pattern TAGGABLE = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");
    /** ...and only so many, so a misbehaving producer cannot grow the metric without bound. */
    static final int MAX_TYPES = 32;

    private final MeterRegistry meters;
    private final Set<String> types = ConcurrentHashMap.newKeySet();
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    public SkippedEvents(MeterRegistry meters) {
        this.meters = meters;
    }

    /** The event when its type is one of {@code handledTypes}; otherwise the record is counted as skipped. */
    public <E extends Event> Optional<E> handledOrSkipped(ConsumerRecord<?, ?> record, EventRead<E> read, Set<String> handledTypes) {
        Optional<E> event = read.ofType(handledTypes);
        if (event.isEmpty()) {
            skip(record, read.type());
        }
        return event;
    }

    /** The type tag of a tombstone (a null value) in events.skipped. */
    public static final String TOMBSTONE = "tombstone";

    /**
     * True for a tombstone (a record with a null value), which is then counted as skipped. Every
     * consumer of the ensemble gives tombstones the one meaning the README states ("Events"):
     * none yet. They are ignored and counted, never dead-lettered, until post erasure (issue 10)
     * defines what a deleted post does to the replica, the threads and their mail.
     */
    public boolean skippedTombstone(ConsumerRecord<?, ?> record) {
        if (record.value() != null) {
            return false;
        }
        skip(record, TOMBSTONE);
        return true;
    }

    public void skip(ConsumerRecord<?, ?> record, String type) {
        String tag = tagFor(type);
        Counter.builder("events.skipped")
                .description("Records of a known topic skipped because this consumer does not handle their event type")
                .tag("topic", record.topic())
                .tag("type", tag)
                .register(meters)
                .increment();
        if (logged.add(record.topic() + " " + tag)) {
            log.info("Skipping events of type {} on {} (first at partition {}, offset {}): this consumer does not handle them;"
                    + " events.skipped counts them", tag, record.topic(), record.partition(), record.offset());
        } else {
            log.debug("Skipped a {} event on {}-{}@{}", tag, record.topic(), record.partition(), record.offset());
        }
    }

    private String tagFor(String type) {
        if (!TAGGABLE.matcher(type).matches()) {
            return "malformed";
        }
        if (types.contains(type) || types.size() < MAX_TYPES && types.add(type)) {
            return type;
        }
        return "other";
    }
}
