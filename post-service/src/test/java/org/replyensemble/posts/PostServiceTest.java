package org.replyensemble.posts;

import org.junit.jupiter.api.AfterAll;
import org.replyensemble.events.Topics;
import org.replyensemble.testing.ProducedEvents;
import org.replyensemble.testing.SharedPostgres;
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
 * real HTTP port (for what only Tomcat sees) as well as MockMvc.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=" + PostServiceApplication.NAME)
@AutoConfigureMockMvc
public abstract class PostServiceTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        SharedPostgres.registerNewDatabase(registry, "posts");
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
