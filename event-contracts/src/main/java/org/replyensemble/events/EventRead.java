package org.replyensemble.events;

import java.util.Optional;
import java.util.Set;

/**
 * What a consumer read from one record of a known topic: an event of a type this build knows
 * (parsed and checked), or an event of a type it does not know, which a tolerant reader skips
 * (and counts) instead of treating it as poison. That is what lets a producer add an event type
 * to a topic (CommentEdited, CommentDeleted...) before every consumer has been upgraded.
 */
public sealed interface EventRead<E extends Event> permits EventRead.Known, EventRead.UnknownType {

    /** The event type the record declares. */
    String type();

    /** The event, when its type is one this build knows. */
    Optional<E> known();

    /**
     * The event, when its type is one of those the caller handles. A consumer that names the
     * types it handles stays safe when this module learns a new type: the new type is skipped
     * by that consumer until someone writes the code that handles it.
     */
    default Optional<E> ofType(Set<String> handled) {
        return known().filter(event -> handled.contains(event.type()));
    }

    record Known<E extends Event>(E event) implements EventRead<E> {

        @Override
        public String type() {
            return event.type();
        }

        @Override
        public Optional<E> known() {
            return Optional.of(event);
        }
    }

    record UnknownType<E extends Event>(String type) implements EventRead<E> {

        @Override
        public Optional<E> known() {
            return Optional.empty();
        }
    }
}
