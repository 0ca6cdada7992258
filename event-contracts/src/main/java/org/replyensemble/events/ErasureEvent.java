package org.replyensemble.events;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A record of {@link Topics#ERASURES}, keyed by {@code subject} (the HMAC-SHA256 of the address
 * under the shared erasure key): "forget this person". post-service writes it through its outbox
 * in the transaction that erases its own rows.
 *
 * <p>The topic is kept for ever, so the address may not stay on it for ever: an
 * {@link #REQUESTED} record carries it, so comment-service and notification-service can find the
 * person's rows; after a configured time (post-service's erasure.address-kept-for, 7 days by
 * default, far longer than any consumer lags) post-service writes an {@link #SEALED} record with
 * the same key and no address, and compaction drops the one with the address. A consumer that
 * reads only the sealed record (a new or rebuilt one) still gets the subject: notification-service
 * suppresses by subject, and nothing it rebuilds from the other topics carries the address any more.
 *
 * @param email the address; null in a sealed record
 */
public record ErasureEvent(
        UUID eventId,
        String type,
        int schemaVersion,
        Instant occurredAt,
        String subject,
        String email) {

    public static final String REQUESTED = "ErasureRequested";
    public static final String SEALED = "ErasureSealed";
    public static final Set<String> TYPES = Set.of(REQUESTED, SEALED);
    public static final int SCHEMA_VERSION = 1;

    public static ErasureEvent requested(String subject, String email, Instant at) {
        return new ErasureEvent(UUID.randomUUID(), REQUESTED, SCHEMA_VERSION, at, subject, email);
    }

    public static ErasureEvent sealed(String subject, Instant at) {
        return new ErasureEvent(UUID.randomUUID(), SEALED, SCHEMA_VERSION, at, subject, null);
    }
}
