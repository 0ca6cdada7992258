package org.replyensemble.faults;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.replyensemble.comments.CommentServiceApplication;
import org.replyensemble.local.kafka.KafkaBroker;
import org.replyensemble.local.services.ServiceProcess;
import org.replyensemble.local.services.ServiceSpec;
import org.replyensemble.notifications.NotificationServiceApplication;
import org.replyensemble.posts.PostServiceApplication;
import org.replyensemble.testing.SharedPostgres;
import org.replyensemble.testing.TcpForwarder;
import org.replyensemble.testing.TestIssuer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The ensemble the fault tests break: a real Kafka broker process (so it can be stopped and
 * restarted on its data; a process with embedded parts and with containers alike), the shared
 * PostgreSQL server with a database per service, a GreenMail SMTP server on a fixed port, and
 * the three services as separate Spring applications in this JVM (notification-service also as
 * a process, to be killed). comment-service and notification-service
 * reach their databases through a {@link TcpForwarder}, so a test can cut them off. The services
 * trust {@link TestIssuer} as their identity provider: each thread's author publishes with a token
 * of their own (a test needs many authors, and a token can be made for anyone the test names), and
 * the operator calls carry an operator's token.
 *
 * <p>One per test JVM, shared by every fault test (starting it takes most of a minute on two
 * cores): each test uses its own posts and addresses, and puts back whatever it broke.
 */
final class FaultEnsemble {

    static final Duration SETTLE = Duration.ofMinutes(4);
    /** No new email for this long before a test counts (longer than the poll and retry pauses in play). */
    static final Duration QUIET = Duration.ofSeconds(2);
    /**
     * The shipped retry policy (2 s doubling to 15 min, for 36 h after the first failure, no limit on
     * the count) with every duration divided by this: its shape, in test time.
     */
    static final int RETRY_TIME_COMPRESSION = 100;
    /**
     * The faults are driven from this one host (the soak alone posts 1,200 comments in a minute or
     * two): the limits stay on, as in production, with budgets the load never reaches.
     */
    private static final String[] COMMENT_LIMITS_ABOVE_THE_LOAD = {
            "--comments.rate-limit.client-per-minute=1000000", "--comments.rate-limit.client-per-day=1000000",
            "--comments.rate-limit.mailbox-per-minute=1000000", "--comments.rate-limit.mailbox-per-day=1000000" };
    /** This suite's key for the links in emails: notification-service refuses to start with the public development one. */
    private static final String TOKEN_SECRET = "fault-tests-" + UUID.randomUUID() + UUID.randomUUID();
    private static final Path DIR = Path.of(System.getProperty("faults.dir", "target/faults"));
    private static FaultEnsemble shared;

    final KafkaBroker broker;
    final Mailbox mailbox;
    final TestIssuer issuer = TestIssuer.shared();
    final TcpForwarder commentsDatabase;
    final TcpForwarder notificationsDatabase;
    private final String postsUrl;
    private final String commentsUrl;
    private final String notificationsUrl;
    private final JdbcClient commentsOperator;
    private final JdbcClient notificationsOperator;
    private ConfigurableApplicationContext posts;
    private ConfigurableApplicationContext comments;
    private final List<ConfigurableApplicationContext> notifications = new CopyOnWriteArrayList<>();
    private int processes;
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();

    static synchronized FaultEnsemble shared() {
        if (shared == null) {
            shared = new FaultEnsemble();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "fault-ensemble-stop"));
        }
        return shared;
    }

    private FaultEnsemble() {
        try {
            Files.deleteIfExists(DIR.resolve("figures.txt")); // this run's figures only
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = new KafkaBroker(freePort(), freePort(), System.getProperty("kafka.lib", "../local-run/target/kafka-lib/*"),
                DIR.resolve("kafka"), DIR.resolve("logs/kafka.log"), List.of("-Xmx256m", "-XX:+UseSerialGC")).start();
        mailbox = new Mailbox().start();
        int postgresPort = SharedPostgres.port();
        commentsDatabase = TcpForwarder.open(SharedPostgres.host(), postgresPort);
        notificationsDatabase = TcpForwarder.open(SharedPostgres.host(), postgresPort);
        postsUrl = SharedPostgres.newDatabase("posts");
        String commentsDirect = SharedPostgres.newDatabase("comments");
        String notificationsDirect = SharedPostgres.newDatabase("notifications");
        commentsUrl = through(commentsDirect, postgresPort, commentsDatabase);
        notificationsUrl = through(notificationsDirect, postgresPort, notificationsDatabase);
        commentsOperator = operator(commentsDirect);
        notificationsOperator = operator(notificationsDirect);
        posts = run(PostServiceApplication.application(), postsUrl);
        comments = run(CommentServiceApplication.application(), commentsUrl, COMMENT_LIMITS_ABOVE_THE_LOAD);
        startNotifications();
    }

    URI postService() {
        return baseOf(posts);
    }

    URI commentService() {
        return baseOf(comments);
    }

    /** The first running in-JVM notification-service instance. */
    URI notificationService() {
        return baseOf(notificationInstance());
    }

    ConfigurableApplicationContext notificationInstance() {
        return notifications.get(0);
    }

    ConfigurableApplicationContext commentContext() {
        return comments;
    }

    /** The first running in-JVM notification-service instance's management server (actuator). */
    URI notificationManagement() {
        return URI.create("http://localhost:" + notificationInstance().getEnvironment().getProperty("local.management.port"));
    }

    ConfigurableApplicationContext postContext() {
        return posts;
    }

    /** Where a service's actuator answers: its management port, or its public one where it has none of its own. */
    static URI managementOf(ConfigurableApplicationContext context) {
        String port = context.getEnvironment().getProperty("local.management.port",
                context.getEnvironment().getProperty("local.server.port"));
        return URI.create("http://localhost:" + port);
    }

    Blog blog() {
        return new Blog(this::postService, this::commentService, this::confirmAddress, issuer);
    }

    /**
     * Confirms a test address before its first comment, as an operator with access to
     * notification-service's database would (what its owner does through the confirmation email's
     * link): the fault tests count reply emails, and those go only to confirmed addresses. Directly
     * in the database rather than through the operator call, because a test may have cut
     * notification-service off its database, or stopped every in-process instance, when it comments.
     * The tests' addresses have no plus-tag, so each is its own mailbox.
     */
    void confirmAddress(String email) {
        String address = email.strip().toLowerCase();
        if (!confirmed.add(address)) {
            return;
        }
        if (address.contains("+")) {
            throw new IllegalArgumentException("a fault-test address with a plus-tag needs its mailbox worked out: " + address);
        }
        notificationsOperator.sql("insert into mailbox (mailbox) values (:address) on conflict do nothing")
                .param("address", address).update();
        notificationsOperator.sql("""
                insert into address (email, mailbox, greeting_name, confirmed_at, confirmed_by)
                values (:address, :address, :address, now(), 'OPERATOR')
                on conflict (email) do update set confirmed_at = coalesce(address.confirmed_at, now()),
                       confirmed_by = coalesce(address.confirmed_by, 'OPERATOR')
                """)
                .param("address", address).update();
    }

    /** The Authorization header of an operator's call (a fresh token each time: a suite outlasts a token). */
    String operator() {
        return TestIssuer.bearer(issuer.token("fault-operator", "Fault operator", "operator@faults.example.org", "OPERATOR"));
    }

    /** comment-service's database, read and written directly as an operator would (not through the forwarder). */
    JdbcClient commentsDb() {
        return commentsOperator;
    }

    /** notification-service's database, read directly as an operator would (not through the forwarder). */
    JdbcClient notificationsDb() {
        return notificationsOperator;
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Starts one more notification-service instance in the same consumer group on the same database. */
    ConfigurableApplicationContext startNotifications(String... more) {
        List<String> args = new ArrayList<>(overridden(notificationSettings(), more));
        // The outbox module is on this shared classpath (post- and comment-service use it), not in
        // notification-service's jar: without this, the in-JVM instance would get an outbox table and
        // relay that the deployed service lacks, and the jar would then refuse the database (Flyway
        // "applied migration not resolved locally"), as the first run of the crash test showed.
        args.add("--spring.autoconfigure.exclude=org.replyensemble.outbox.OutboxAutoConfiguration");
        ConfigurableApplicationContext instance = run(NotificationServiceApplication.application(), notificationsUrl,
                args.toArray(String[]::new));
        notifications.add(instance);
        return instance;
    }

    /** A graceful stop of one instance (its consumer leaves the group, its sender finishes the batch). */
    void stopNotifications(ConfigurableApplicationContext instance) {
        notifications.remove(instance);
        instance.close();
    }

    void stopAllNotifications() {
        notifications.forEach(this::stopNotifications);
    }

    /** Replaces every notification-service instance with one started with these extra settings. */
    void restartNotifications(String... more) {
        stopAllNotifications();
        startNotifications(more);
    }

    /** notification-service as its own {@code java -jar} process, same database, group, broker and SMTP server. */
    ServiceProcess startNotificationProcess(String... more) {
        int port = freePort();
        int managementPort = freePort();
        Path jar = Path.of(System.getProperty("notification-service.jar",
                "../notification-service/target/notification-service-0.1.0-SNAPSHOT-exec.jar"));
        ServiceProcess process = new ServiceProcess(new ServiceSpec("notification-service", port, managementPort, "notifications"),
                jar, DIR.resolve("logs/notification-process-" + (++processes) + ".log"));
        List<String> jvm = new ArrayList<>(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        List<String> settings = new ArrayList<>(commonSettings(notificationsUrl));
        settings.addAll(overridden(notificationSettings(), more));
        settings.add("--server.port=" + port);
        settings.add("--management.server.port=" + managementPort);
        settings.forEach(setting -> jvm.add("-D" + setting.substring(2)));
        process.start(jvm, Map.of());
        process.awaitHealthy(Duration.ofMinutes(2));
        return process;
    }

    /** A repeated --key=value argument would be bound as a list ("1000,3"): a test's setting replaces the default. */
    private static List<String> overridden(List<String> defaults, String... more) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String arg : defaults) {
            byKey.put(arg.substring(0, arg.indexOf('=')), arg);
        }
        for (String arg : more) {
            byKey.put(arg.substring(0, arg.indexOf('=')), arg);
        }
        return List.copyOf(byKey.values());
    }

    /**
     * Waits until every delivery of these comments is SENT, the SMTP server holds every expected
     * email, and then no new email has arrived for a quiet period: nothing more can be sent about
     * them (the sender only sends PENDING rows, and none is left), and a late duplicate from a
     * stale sender would have shown within the quiet period, so the counts that follow are final.
     */
    void awaitSettled(List<ThreadLog> threads) {
        awaitSettled(ThreadLog.expectedEmails(threads), ThreadLog.commentIds(threads));
    }

    void awaitSettled(Set<Email> expected, Set<UUID> ids) {
        AtomicInteger lastCount = new AtomicInteger(-1);
        AtomicLong lastChange = new AtomicLong(System.nanoTime());
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(250)).until(() -> {
            List<Email> received = mailbox.received();
            if (received.size() != lastCount.getAndSet(received.size())) {
                lastChange.set(System.nanoTime());
                return false;
            }
            // Settled means nothing is left to send (no PENDING or HELD row), not that every row was
            // SENT: a reader's choice made after a delivery was recorded ends it SUPPRESSED or SKIPPED.
            long waiting = notificationsOperator.sql("select count(*) from delivery where comment_id in (:ids) and status in ('PENDING', 'HELD')")
                    .param("ids", ids).query(Long.class).single();
            long all = notificationsOperator.sql("select count(*) from delivery where comment_id in (:ids)")
                    .param("ids", ids).query(Long.class).single();
            return all >= expected.size() && waiting == 0 && new HashSet<>(received).containsAll(expected)
                    && System.nanoTime() - lastChange.get() >= QUIET.toNanos();
        });
    }

    /** A metric of the first in-JVM notification-service instance (0 when it was never registered). */
    double notificationMetric(String name, String... tags) {
        return metric(notificationInstance(), name, tags);
    }

    static double metric(ConfigurableApplicationContext context, String name, String... tags) {
        io.micrometer.core.instrument.search.Search search = context.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                .find(name).tags(tags);
        if (search.counter() != null) {
            return search.counter().count();
        }
        return search.gauge() == null ? 0 : search.gauge().value();
    }

    private ConfigurableApplicationContext run(SpringApplicationBuilder application, String databaseUrl, String... more) {
        List<String> args = new ArrayList<>(commonSettings(databaseUrl));
        args.add("--server.port=0");
        args.add("--management.server.port=0");
        args.addAll(List.of(more));
        return application.run(args.toArray(String[]::new));
    }

    /** As arguments: they beat anything else on a shared classpath (STACK.md). */
    private List<String> commonSettings(String databaseUrl) {
        return List.of(
                "--spring.datasource.url=" + databaseUrl,
                // The erasure key post-service and notification-service share (no default outside development mode).
                "--ensemble.erasure.key=fault-suite-own-erasure-key-0123456789abcdef",
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres",
                // An unreachable database fails a request in 2 s (a 503) instead of Hikari's 30 s.
                "--spring.datasource.hikari.connection-timeout=2000",
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--spring.security.oauth2.resourceserver.jwt.public-key-location=" + issuer.publicKeyLocation(),
                // The health components follow a fault within seconds (OperatorViewTest).
                "--ensemble.operations.kafka.check-interval=1s");
    }

    /**
     * The shipped settings, but for the retry policy, compressed in time (its shape kept: base, cap
     * and max age divided alike, no limit on the count), a quicker poll, and a short gap timeout.
     * The claim lease and the consumer group's session timeout are the shipped ones: the failover
     * figures are measured with them.
     */
    private List<String> notificationSettings() {
        return List.of(
                "--spring.mail.host=" + mailbox.host(),
                "--spring.mail.port=" + mailbox.port(),
                "--notifications.tokens.secrets=" + TOKEN_SECRET,
                // Every email counted is one per recipient per comment: the per-comment rules, without flood control.
                "--notifications.flood-control.enabled=false",
                "--notifications.delivery.poll-interval=200ms",
                "--notifications.delivery.backoff-base=" + Duration.ofSeconds(2).dividedBy(RETRY_TIME_COMPRESSION).toMillis() + "ms",
                "--notifications.delivery.backoff-max=" + Duration.ofMinutes(15).dividedBy(RETRY_TIME_COMPRESSION).toMillis() + "ms",
                "--notifications.delivery.max-age=" + Duration.ofHours(36).dividedBy(RETRY_TIME_COMPRESSION).toSeconds() + "s",
                "--notifications.mail-check.interval=1s",
                "--notifications.operations.refresh-interval=1s",
                "--notifications.consumer.retry-max=2s",
                "--notifications.threads.gap-timeout=" + GAP_TIMEOUT.toMillis() + "ms",
                "--notifications.threads.gap-check-interval=500ms");
    }

    /** How long a thread waits for a missing comment here (10 minutes shipped). */
    static final Duration GAP_TIMEOUT = Duration.ofSeconds(5);

    private void close() {
        // Each part stops even when one before it fails to, so no broker process or database outlives the JVM.
        List<Runnable> steps = new ArrayList<>();
        notifications.forEach(context -> steps.add(context::close));
        if (comments != null) {
            steps.add(comments::close);
        }
        if (posts != null) {
            steps.add(posts::close);
        }
        steps.add(mailbox::close);
        steps.add(broker::close);
        steps.add(commentsDatabase::close);
        steps.add(notificationsDatabase::close);
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                System.err.println("fault ensemble: a part did not stop cleanly: " + e);
            }
        }
    }

    private static String through(String url, int postgresPort, TcpForwarder forwarder) {
        String needle = SharedPostgres.host() + ":" + postgresPort + "/";
        if (!url.contains(needle)) {
            throw new IllegalStateException("unexpected JDBC URL " + url);
        }
        return url.replace(needle, "localhost:" + forwarder.port() + "/");
    }

    private static JdbcClient operator(String url) {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url, "postgres", "postgres");
        return JdbcClient.create(dataSource);
    }

    private static URI baseOf(ConfigurableApplicationContext context) {
        return URI.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port"));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
