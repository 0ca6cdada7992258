package org.replyensemble.posts;

import org.junit.jupiter.api.AfterAll;
import org.replyensemble.events.Topics;
import org.replyensemble.testing.ProducedEvents;
import org.replyensemble.testing.SharedPostgres;
import org.replyensemble.testing.TestAccount;
import org.replyensemble.testing.TestIssuer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The one application context of post-service's integration tests (same configuration, so
 * Spring reuses it): the real app on an embedded PostgreSQL and the JVM's embedded broker, on a
 * real HTTP port (for what only Tomcat sees) as well as MockMvc, its management server on another;
 * with two authors and an operator as configured accounts and {@link TestIssuer} as its identity
 * provider.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "spring.config.name=" + PostServiceApplication.NAME, "management.server.port=0",
                // A key of the tests' own: not the development one, so the production start-up check runs here too.
                "ensemble.erasure.key=post-service-tests-own-erasure-key-0123456789" })
@AutoConfigureMockMvc
public abstract class PostServiceTest {

    protected static final TestAccount ANN = TestAccount.author("ann", "Ann Author", "ann@example.com");
    protected static final TestAccount BEA = TestAccount.author("bea", "Bea Author", "Bea@Example.com");
    protected static final TestAccount OLGA = TestAccount.operator("olga");
    protected static final TestIssuer ISSUER = TestIssuer.shared();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        SharedPostgres.registerNewDatabase(registry, "posts");
        TestAccount.properties(ANN, BEA, OLGA).forEach((key, value) -> registry.add(key, () -> value));
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", ISSUER::publicKeyLocation);
    }

    /** Whatever a test class did, every event post-service put on its topic holds to the published contract. */
    @AfterAll
    static void everyProducedEventHoldsToTheContract() {
        ProducedEvents.assertAllHold(System.getProperty("spring.kafka.bootstrap-servers"), Topics.POSTS);
    }

    @Autowired
    protected MockMvc mvc;

    @Autowired
    protected JdbcClient jdbc;

    @Value("${spring.kafka.bootstrap-servers}")
    protected String bootstrapServers;

    @Value("${local.server.port}")
    protected int port;

    protected long rows(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }
}
