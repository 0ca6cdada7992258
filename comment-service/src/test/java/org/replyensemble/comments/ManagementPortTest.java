package org.replyensemble.comments;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/** Over real sockets: the public port has the health probes, the management port the rest of the actuator and the API documents. */
class ManagementPortTest extends CommentServiceTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int publicPort;

    @Value("${local.management.port}")
    int managementPort;

    @Test
    void onlyTheProbesAreOnThePublicPort() throws Exception {
        assertThat(get(publicPort, "/livez").statusCode()).isEqualTo(200);
        assertThat(get(publicPort, "/readyz").statusCode()).isEqualTo(200);
        for (String path : List.of("/actuator/health", "/actuator/prometheus", "/actuator/metrics", "/v3/api-docs", "/swagger-ui.html")) {
            assertThat(get(publicPort, path).statusCode()).as(path).isEqualTo(401); // no rule opens it: not served anonymously
        }
        assertThat(get(managementPort, "/actuator/health").statusCode()).isEqualTo(200);
        assertThat(get(managementPort, "/actuator/prometheus").body()).contains("outbox_backlog");
        assertThat(get(managementPort, "/actuator/openapi").body()).contains("/api/posts/{postId}/comments");
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
