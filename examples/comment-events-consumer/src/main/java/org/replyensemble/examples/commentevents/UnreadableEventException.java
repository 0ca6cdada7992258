package org.replyensemble.examples.commentevents;

/** A record no retry can fix: dead-lettered at once (see KafkaSetup). */
class UnreadableEventException extends RuntimeException {

    UnreadableEventException(String reason) {
        super(reason);
    }

    UnreadableEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
