package org.replyensemble.examples.commentevents;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An example for teams who want the blog's comments: it keeps, per post, how many comments it
 * has and when the last one came, from {@code blog.comments.v1}, as a tolerant reader:
 * <ul>
 * <li>its own consumer group, so it reads every event at its own pace;</li>
 * <li>reads only the fields it needs and ignores the others (fields are added over time);</li>
 * <li>skips event types it does not handle (types are added over time: CommentEdited, CommentDeleted...);</li>
 * <li>deduplicates on the event id, in the same transaction as its effect (delivery is at least once);</li>
 * <li>relies on the key (the post id) for order: one post's events arrive in the order they happened;</li>
 * <li>sends what it can never read (not JSON, an unsupported schema version, missing fields) to
 * its own dead-letter topic and goes on; anything else (its database is down) is retried.</li>
 * </ul>
 */
@SpringBootApplication
public class CommentEventsConsumerApplication {

    public static void main(String[] args) {
        SpringApplication.run(CommentEventsConsumerApplication.class, args);
    }
}
