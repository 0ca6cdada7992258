package org.replyensemble.system;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.replyensemble.comments.CommentServiceApplication;
import org.replyensemble.notifications.NotificationServiceApplication;
import org.replyensemble.posts.PostServiceApplication;
import org.replyensemble.testing.SharedPostgres;
import org.replyensemble.testing.TestAccount;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The three services as three separate Spring applications, as in production: each with its
 * own database (on one PostgreSQL server), all on one Kafka broker and one SMTP server. They
 * share nothing but the broker; the test talks to them over HTTP, Kafka and SMTP only, and
 * reads notification-service's delivery log as an operator would. Each service has the same two
 * accounts, as the local run gives them: an author and an operator.
 */
final class Ensemble implements AutoCloseable {

    final ConfigurableApplicationContext posts;
    final ConfigurableApplicationContext comments;
    final ConfigurableApplicationContext notifications;
    private final String notificationsDatabase;
    private final TestAccount author;
    private final TestAccount operator;

    private Ensemble(ConfigurableApplicationContext posts, ConfigurableApplicationContext comments,
            ConfigurableApplicationContext notifications, String notificationsDatabase, TestAccount author, TestAccount operator) {
        this.posts = posts;
        this.comments = comments;
        this.notifications = notifications;
        this.notificationsDatabase = notificationsDatabase;
        this.author = author;
        this.operator = operator;
    }

    /** @param author the account posts are published with (the seed post's author) */
    private static final String ERASURE_KEY = UUID.randomUUID() + "-" + UUID.randomUUID();

    static Ensemble start(String smtpHost, int smtpPort, TestAccount author) {
        TestAccount operator = TestAccount.operator("operator");
        List<String> accounts = TestAccount.arguments(author, operator);
        String notificationsDatabase = SharedPostgres.newDatabase("notifications");
        ConfigurableApplicationContext posts = run(PostServiceApplication.application(), SharedPostgres.newDatabase("posts"), accounts);
        // The seed replay posts 16 comments from this host in about a second, 8 from one address:
        // over the public defaults, as in the local run, whose limits these are.
        ConfigurableApplicationContext comments = run(CommentServiceApplication.application(), SharedPostgres.newDatabase("comments"),
                accounts, "--comments.rate-limit.client-per-minute=60", "--comments.rate-limit.mailbox-per-minute=20");
        ConfigurableApplicationContext notifications = run(NotificationServiceApplication.application(), notificationsDatabase,
                accounts, "--spring.mail.host=" + smtpHost, "--spring.mail.port=" + smtpPort,
                // The comment links in the emails open this run's comment-service, as a reader's browser would.
                "--notifications.public-base-url=" + baseOf(comments),
                // A key of this run's own, as in production: the service refuses the public development one.
                "--notifications.tokens.secrets=" + UUID.randomUUID() + UUID.randomUUID(),
                // The seed thread is the reference for the per-comment rules (its 60 reply emails): flood control off.
                "--notifications.flood-control.enabled=false",
                // The outbox module is on this shared classpath for the other two; notification-service has none.
                "--spring.autoconfigure.exclude=org.replyensemble.outbox.OutboxAutoConfiguration");
        return new Ensemble(posts, comments, notifications, notificationsDatabase, author, operator);
    }

    /**
     * Settings go in as arguments: the embedded broker's system property would beat
     * SpringApplicationBuilder.properties() (STACK.md). Each instance gets free ports, its
     * management server's too.
     */
    private static ConfigurableApplicationContext run(SpringApplicationBuilder application, String databaseUrl,
            List<String> accounts, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--spring.datasource.url=" + databaseUrl,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres",
                "--spring.kafka.bootstrap-servers=" + System.getProperty("spring.kafka.bootstrap-servers")));
        args.addAll(accounts);
        // The erasure key post-service and notification-service share: this run's own, as in production.
        args.add("--ensemble.erasure.key=" + ERASURE_KEY);
        args.addAll(List.of(more));
        return application.run(args.toArray(String[]::new));
    }

    TestAccount author() {
        return author;
    }

    TestAccount operator() {
        return operator;
    }


    URI postService() {
        return baseOf(posts);
    }

    URI commentService() {
        return baseOf(comments);
    }

    URI notificationService() {
        return baseOf(notifications);
    }

    /** notification-service's own database, read as an operator reads it. */
    JdbcClient notificationsDatabase() {
        return notifications.getBean(JdbcClient.class);
    }

    String notificationsDatabaseUrl() {
        return notificationsDatabase;
    }

    private static URI baseOf(ConfigurableApplicationContext context) {
        return URI.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port"));
    }

    @Override
    public void close() {
        notifications.close();
        comments.close();
        posts.close();
    }
}
