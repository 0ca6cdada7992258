package org.replyensemble.comments.comments;

import org.replyensemble.testing.TopicReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.replyensemble.comments.CommentServiceTest;
import org.replyensemble.events.EventJson;
import org.replyensemble.events.Topics;
import org.springframework.http.MediaType;

/** Positions come from the database, not from timing: many writers, no gap, no duplicate, events in order. */
class ConcurrentPositionsTest extends CommentServiceTest {

    private static final int COMMENTS = 20;
    private static final int WRITERS = 4;

    @Test
    void twentyCommentsFromFourThreadsGetPositionsOneToTwentyOnceEach() throws Exception {
        UUID postId = givenPost("Busy thread");
        List<Callable<Integer>> writes = new ArrayList<>();
        for (int i = 0; i < COMMENTS; i++) {
            String body = CommentApiTest.JSON.writeValueAsString(
                    CommentApiTest.newComment("Writer " + i, "writer" + i + "@example.com", "Comment " + i));
            writes.add(() -> {
                String answer = mvc.perform(post("/api/posts/" + postId + "/comments")
                                .contentType(MediaType.APPLICATION_JSON).content(body))
                        .andExpect(status().isCreated())
                        .andReturn().getResponse().getContentAsString();
                return CommentApiTest.JSON.readTree(answer).get("position").asInt();
            });
        }

        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Integer> positions = new ArrayList<>();
        try {
            for (Future<Integer> result : pool.invokeAll(writes)) {
                positions.add(result.get());
            }
        } finally {
            pool.shutdownNow();
        }

        List<Integer> oneToTwenty = IntStream.rangeClosed(1, COMMENTS).boxed().toList();
        assertThat(positions).containsExactlyInAnyOrderElementsOf(oneToTwenty);
        assertThat(jdbc.sql("select position from comment where post_id = ? order by position")
                .param(postId).query(Integer.class).list()).isEqualTo(oneToTwenty);

        try (TopicReader topic = new TopicReader(bootstrapServers, Topics.COMMENTS)) {
            List<ConsumerRecord<String, String>> records = await().atMost(WAIT)
                    .until(() -> topic.withKey(postId.toString()), found -> found.size() >= COMMENTS);
            // One key, one partition: a consumer sees the thread in position order.
            assertThat(records).extracting(r -> EventJson.readCommentEvent(r.value()).known().orElseThrow().comment().position())
                    .isEqualTo(oneToTwenty);
        }
    }
}
