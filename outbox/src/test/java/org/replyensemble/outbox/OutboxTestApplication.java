package org.replyensemble.outbox;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The smallest application that uses the outbox: a database, a Kafka producer and nothing else. */
@SpringBootApplication
class OutboxTestApplication {
}
