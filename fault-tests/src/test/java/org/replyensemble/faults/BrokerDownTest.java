package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.CommentEvent;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Topics;

/**
 * Scenario 1: the Kafka broker is down while people comment. Comments are accepted (201) and
 * stored, their events wait in comment-service's outbox; when the broker is back every event is
 * published in per-post order and every expected email is sent once.
 */
class BrokerDownTest {

    private static final int THREADS = 3;
    private static final int COMMENTS_BEFORE = 2;
    private static final int COMMENTS_DURING = 5;

    private final FaultEnsemble ensemble = FaultEnsemble.shared();
    private final Blog blog = ensemble.blog();

    @Test
    void commentsAreAcceptedWhileTheBrokerIsDownAndEveryEmailGoesOutOnceAfter() {
        List<ThreadLog> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            ThreadLog thread = blog.publish("Broker down " + t, person("author" + t));
            for (int c = 0; c < COMMENTS_BEFORE; c++) {
                blog.comment(thread, person("early" + t + "x" + c), null);
            }
            threads.add(thread);
        }
        ensemble.awaitSettled(threads);

        ThreadLog publishedDuring;
        ensemble.broker.stop();
        try {
            // A post too: post-service accepts it (201, publishOnly fails the test otherwise), its event waits in its outbox.
            publishedDuring = blog.publishOnly("Published while the broker is down", person("lateauthor"));
            for (int c = 0; c < COMMENTS_DURING; c++) {
                for (int t = 0; t < THREADS; t++) {
                    // blog.comment fails the test on anything but 201
                    blog.comment(threads.get(t), person("during" + t + "x" + c), null);
                }
            }
            for (ThreadLog thread : threads) {
                HttpResponse<String> stored = Blog.get(ensemble.commentService().resolve("/api/posts/" + thread.postId() + "/comments"));
                assertThat(Blog.json(stored).get("totalElements").asInt()).as("stored while the broker is down")
                        .isEqualTo(COMMENTS_BEFORE + COMMENTS_DURING);
            }
            assertThat(ensemble.commentsDb().sql("select count(*) from outbox_message where published_at is null")
                    .query(Long.class).single()).as("events waiting in the outbox").isEqualTo(THREADS * COMMENTS_DURING);
        } finally {
            ensemble.broker.restart();
        }
        // The post's event reached comment-service (comments are taken) and notification-service (its author is mailed).
        blog.awaitReplica(publishedDuring);
        blog.comment(publishedDuring, person("firstreader"), null);
        threads.add(publishedDuring);
        ensemble.awaitSettled(threads);

        for (ThreadLog thread : threads.subList(0, THREADS)) {
            assertThat(positionsInPartitionOrder(thread)).as("per-post order on the comment topic")
                    .containsExactlyElementsOf(thread.comments().stream().map(ThreadLog.Posted::position).toList());
        }
        Figures.count("1 broker down", "Kafka broker stopped for " + THREADS * COMMENTS_DURING + " comments on "
                + THREADS + " posts and 1 new post (all 201), then restarted on its data", threads, ensemble.mailbox).assertExactlyOnce();
    }

    /** The positions of the thread's comment events as the topic holds them; a republished copy counted once. */
    private List<Integer> positionsInPartitionOrder(ThreadLog thread) {
        List<Integer> positions = new ArrayList<>();
        Set<Object> seen = new HashSet<>();
        for (ConsumerRecord<String, String> record : Kafka.withKey(ensemble.bootstrapServers(), Topics.COMMENTS,
                thread.postId().toString())) {
            CommentEvent event = EventJson.readCommentEvent(record.value()).known().orElseThrow();
            if (seen.add(event.eventId())) {
                positions.add(event.comment().position());
            }
        }
        return positions;
    }

    private static Blog.Person person(String name) {
        return new Blog.Person(name, name + "@broker-down.faults.example.org");
    }
}
