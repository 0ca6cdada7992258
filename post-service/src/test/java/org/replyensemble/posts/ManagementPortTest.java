package org.replyensemble.posts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * Over real sockets: the public port answers the health probes and nothing else of the actuator
 * or the API documents; the management port has them all.
 */
class ManagementPortTest extends PostServiceTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int publicPort;

    @Value("${local.management.port}")
    int managementPort;

    @Test
    void thePublicPortHasTheProbesButNoActuatorOrApiDocuments() throws Exception {
        assertThat(managementPort).isNotEqualTo(publicPort);
        for (String probe : List.of("/livez", "/readyz")) {
            HttpResponse<String> response = get(publicPort, probe, null);
            assertThat(response.statusCode()).as(probe).isEqualTo(200);
            assertThat(response.body()).as(probe).contains("\"status\":\"UP\"");
        }
        for (String path : List.of("/actuator/health", "/actuator/metrics", "/actuator/prometheus", "/actuator/env",
                "/v3/api-docs", "/swagger-ui.html", "/swagger-ui/index.html", "/actuator/swagger-ui", "/actuator/openapi")) {
            assertThat(get(publicPort, path, null).statusCode()).as("anonymous " + path).isEqualTo(401);
            assertThat(get(publicPort, path, OLGA.basic()).statusCode()).as("operator " + path).isEqualTo(404);
        }
    }

    @Test
    void theManagementPortHasHealthMetricsAndTheApiDocuments() throws Exception {
        HttpResponse<String> health = get(managementPort, "/actuator/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(get(managementPort, "/actuator/prometheus", null).body()).contains("outbox_backlog");
        assertThat(get(managementPort, "/actuator/metrics/outbox.backlog", null).statusCode()).isEqualTo(200);
        assertThat(get(managementPort, "/actuator/openapi", null).body()).as("the Account parameter is the caller, not a request parameter")
                .contains("/api/posts").doesNotContain("\"roles\"");
        HttpResponse<String> swagger = get(managementPort, "/actuator/swagger-ui", null);
        assertThat(swagger.statusCode()).as(swagger.headers().toString()).isIn(200, 302);
    }

    private static HttpResponse<String> get(int port, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
