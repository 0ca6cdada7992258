package org.replyensemble.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.EventRead;
import org.replyensemble.events.Person;
import org.replyensemble.events.PostEvent;
import org.replyensemble.events.Topics;

class SkippedEventsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SkippedEvents skipped = new SkippedEvents(meters);

    @Test
    void aHandledTypeIsReturnedAndNothingIsCounted() {
        PostEvent event = post(PostEvent.PUBLISHED);
        assertThat(skipped.handledOrSkipped(record(), EventJson.readPostEvent(EventJson.write(event)), PostEvent.TYPES)).contains(event);
        assertThat(meters.find("events.skipped").counters()).isEmpty();
    }

    @Test
    void unknownTypesAndKnownButUnhandledOnesAreCountedByTopicAndType() {
        assertThat(skipped.handledOrSkipped(record(), new EventRead.UnknownType<PostEvent>("PostDeleted"), PostEvent.TYPES)).isEmpty();
        skipped.handledOrSkipped(record(), new EventRead.UnknownType<PostEvent>("PostDeleted"), PostEvent.TYPES);
        EventRead<PostEvent> updated = EventJson.readPostEvent(EventJson.write(post(PostEvent.UPDATED)));
        assertThat(skipped.handledOrSkipped(record(), updated, Set.of(PostEvent.PUBLISHED))).isEmpty();

        assertThat(count("PostDeleted")).isEqualTo(2);
        assertThat(count(PostEvent.UPDATED)).isEqualTo(1);
    }

    @Test
    void typeTagsStayFewAndWellFormed() {
        skipped.skip(record(), "Not a\nname");
        skipped.skip(record(), "x".repeat(65));
        for (int i = 0; i < SkippedEvents.MAX_TYPES + 5; i++) {
            skipped.skip(record(), "Type" + i);
        }
        skipped.skip(record(), "Type0");
        assertThat(count("malformed")).isEqualTo(2);
        assertThat(count("Type0")).isEqualTo(2);
        assertThat(count("other")).isPositive();
        // every type up to the cap, then "malformed" and "other"
        assertThat(meters.find("events.skipped").counters()).hasSize(SkippedEvents.MAX_TYPES + 2);
    }

    private double count(String type) {
        var counter = meters.find("events.skipped").tag("topic", Topics.POSTS).tag("type", type).counter();
        return counter == null ? 0 : counter.count();
    }

    private static ConsumerRecord<String, String> record() {
        return new ConsumerRecord<>(Topics.POSTS, 1, 42, "key", "value");
    }

    private static PostEvent post(String type) {
        UUID id = UUID.randomUUID();
        return PostEvent.of(type, new PostEvent.PostState(id, "s", "T", "b", new Person("A", "a@example.org"), Instant.now(), true, 1),
                Instant.now());
    }
}
