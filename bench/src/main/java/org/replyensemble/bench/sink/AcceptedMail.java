package org.replyensemble.bench.sink;

import java.util.UUID;

/**
 * One message the sink accepted: the comment it is about (from its Message-ID, null for a message
 * that is not a reply email, such as the raw JavaMail loop's) and when the sink accepted it
 * ({@link System#nanoTime()} of this JVM, the clock the load generator stamps each 201 with).
 */
public record AcceptedMail(UUID commentId, long acceptedNanos) {
}
