package org.replyensemble.posts.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.replyensemble.posts.PostServiceTest;
import org.replyensemble.testing.fuzz.RawHttp;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP edge as a client meets it on the real port: the body limit fits the largest valid post
 * and nothing more, with and without Content-Length, and what Tomcat refuses before Spring sees
 * it is a problem document too, not Tomcat's HTML page.
 */
class HttpEdgeTest extends PostServiceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void theLargestValidPostFitsEvenWithEveryCharacterEscaped() {
        // 100,000 characters, each written as a \\uXXXX escape: 600,000 bytes of body text.
        String body = "\\u00e9".repeat(100_000);
        String post = "{\"title\":\"" + "\\u00e9".repeat(200) + "\",\"body\":\"" + body
                + "\",\"author\":{\"name\":\"Ann Author\",\"email\":\"ann@example.com\"}}";
        long posts = rows("post");

        RawHttp.Response created = http().send(RawHttp.request("POST", "/api/posts", Map.of("Content-Type", "application/json",
                "Authorization", ANN.basic()), post.getBytes(StandardCharsets.UTF_8)));

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(rows("post")).isEqualTo(posts + 1);
    }

    @Test
    void aBodyOverTheLimitIs413WhetherItsLengthIsDeclaredOrNot() {
        byte[] tooBig = ("{\"title\":\"t\",\"body\":\"" + "b".repeat(1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        long posts = rows("post");

        // As the author: the limit is what refuses them, not the sign-in.
        RawHttp.Response declared = http().send(RawHttp.request("POST", "/api/posts", Map.of("Content-Type", "application/json",
                "Authorization", ANN.basic()), tooBig));
        RawHttp.Response chunked = http().send(RawHttp.request("POST", "/api/posts",
                Map.of("Content-Type", "application/json", "Transfer-Encoding", "chunked", "Authorization", ANN.basic()),
                RawHttp.chunked(tooBig)));

        for (RawHttp.Response response : new RawHttp.Response[] { declared, chunked }) {
            assertProblem(response, 413, "request-too-large");
        }
        assertThat(rows("post")).isEqualTo(posts);
    }

    @Test
    void whatTomcatRefusesIsAProblemDocumentWithoutServerDetails() {
        RawHttp.Response nulInPath = http().send(RawHttp.request("GET", "/api/posts/%00", Map.of(), null));
        assertProblem(nulInPath, 400, "malformed-request");

        RawHttp.Response encodedSlash = http().send(RawHttp.request("GET", "/api/posts/a%2Fb", Map.of(), null));
        assertProblem(encodedSlash, 400, "malformed-request");

        RawHttp.Response longToken = http().send(RawHttp.request("GET", "/api/posts?token=" + "t".repeat(20_000), Map.of(), null));
        assertThat(longToken.status()).isIn(400, 414, 431);
        assertThat(longToken.header("content-type")).startsWith(PROBLEM_JSON);

        RawHttp.Response badRequestLine = http().send("G@T /api/posts HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertProblem(badRequestLine, 400, "malformed-request");
    }

    private RawHttp http() {
        return new RawHttp("127.0.0.1", port);
    }

    private static void assertProblem(RawHttp.Response response, int status, String type) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.header("content-type")).startsWith(PROBLEM_JSON);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asString()).isEqualTo("https://replyensemble.org/problems/" + type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(response.text()).doesNotContain("Tomcat", "<html");
    }
}
