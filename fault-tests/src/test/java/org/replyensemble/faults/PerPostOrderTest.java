package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Topics;

/**
 * Per-post order end to end: comments written concurrently on the same posts get positions in
 * commit order, reach the topic in that order (outbox relay in id order, idempotent acks=all
 * producer, one partition per post) and are fanned out in it, so the recipients of comment n
 * never miss the author of comment n-1.
 */
class PerPostOrderTest {

    private final FaultEnsemble ensemble = FaultEnsemble.shared();
    private final Blog blog = ensemble.blog();

    @Test
    void recipientsOfCommentNNeverMissTheAuthorOfCommentNMinus1() throws Exception {
        List<ThreadLog> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            threads.add(blog.publish("Order " + t, new Blog.Person("Owner " + t, "owner" + t + "@order.faults.example.org")));
        }
        try (Burst burst = new Burst(blog, threads, 20, 20, "order.faults.example.org", 4)) {
            burst.awaitPosted();
        }
        ensemble.awaitSettled(threads);

        List<Email> received = ensemble.mailbox.received();
        for (ThreadLog thread : threads) {
            List<ThreadLog.Posted> comments = thread.comments();
            assertThat(comments).extracting(ThreadLog.Posted::position).containsExactlyElementsOf(
                    IntStream.rangeClosed(1, comments.size()).boxed().toList());
            for (int n = 1; n < comments.size(); n++) {
                ThreadLog.Posted previous = comments.get(n - 1);
                ThreadLog.Posted comment = comments.get(n);
                Set<String> recipients = received.stream().filter(e -> e.commentId().equals(comment.commentId()))
                        .map(Email::recipient).collect(Collectors.toSet());
                assertThat(recipients).as("recipients of comment %d", comment.position()).contains(previous.authorEmail());
            }
            List<Integer> onTheTopic = Kafka.withKey(ensemble.bootstrapServers(), Topics.COMMENTS, thread.postId().toString())
                    .stream().map(ConsumerRecord::value).map(value -> EventJson.readCommentEvent(value).known().orElseThrow())
                    .map(e -> e.comment().position()).toList();
            assertThat(onTheTopic).as("positions in partition order").isSorted().doesNotHaveDuplicates().hasSize(comments.size());
        }
        Figures.count("per-post order", "40 comments written by 4 concurrent clients on 2 posts", threads, ensemble.mailbox)
                .assertExactlyOnce();
    }
}
