package org.replyensemble.notifications.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.replyensemble.testing.SharedPostgres;
import org.replyensemble.testing.fuzz.Endpoint;
import org.replyensemble.testing.fuzz.HttpFuzz;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.unit.DataSize;

/**
 * notification-service's public endpoints (the links in every email), fuzzed over the real HTTP
 * port (see HttpFuzz). The operator API is not public (it sits behind an operator account).
 * The token in the query is not a valid one: a valid one would unsubscribe or confirm, which is a change.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=notification-service",
        "management.server.port=0",
        "notifications.tokens.secrets=fuzz-tests-own-secret-not-the-development-one",
        "ensemble.erasure.key=fuzz-tests-own-erasure-key-not-the-development-one" })
class NotificationFuzzTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        SharedPostgres.registerNewDatabase(registry, "notifications_fuzz");
    }

    @Autowired
    JdbcClient jdbc;

    @Value("${local.server.port}")
    int port;

    @Value("${http.max-body-size}")
    DataSize maxBody;

    @Test
    void noRequestGetsAServerErrorOrAnythingButAProblemOrAPageAndNothingIsStored() {
        String token = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..not-a-real-token";
        HttpFuzz fuzz = HttpFuzz.against(port)
                .maxBodyBytes(maxBody.toBytes())
                .storing("preferences", () -> count("thread_preference"))
                .storing("addresses", () -> count("address"))
                .storing("mailboxes", () -> count("mailbox"))
                .storing("deliveries", () -> count("delivery"))
                .endpoint(Endpoint.page("GET", "/unsubscribe").query("token", token))
                .endpoint(Endpoint.form("POST", "/unsubscribe", "List-Unsubscribe=One-Click").query("token", token))
                .endpoint(Endpoint.page("GET", "/confirm").query("token", token))
                .endpoint(Endpoint.form("POST", "/confirm", "decision=confirm").query("token", token))
                .endpoint(Endpoint.page("GET", "/settings").query("token", token))
                .endpoint(Endpoint.form("POST", "/settings", "thread=NONE&everything=off").query("token", token));
        fuzz.assertNothingWrong();

        assertThat(fuzz.requests()).isGreaterThan(80);
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }
}
