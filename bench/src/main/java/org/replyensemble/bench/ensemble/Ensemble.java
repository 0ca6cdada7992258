package org.replyensemble.bench.ensemble;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.replyensemble.bench.Bench;
import org.replyensemble.bench.sink.SmtpSink;
import org.replyensemble.local.Folders;
import org.replyensemble.local.Ports;
import org.replyensemble.local.Shutdown;
import org.replyensemble.local.kafka.KafkaBroker;
import org.replyensemble.local.postgres.LocalPostgres;
import org.replyensemble.local.services.ServiceEnvironment;
import org.replyensemble.local.services.ServiceGroup;
import org.replyensemble.local.services.ServiceProcess;
import org.replyensemble.local.services.ServiceSpec;
import org.replyensemble.testing.TestIssuer;

/**
 * The ensemble in local mode, as ./run-local starts it (local-run's pieces): a real KRaft broker
 * process, embedded PostgreSQL, the three services as {@code java -jar} processes; the mail goes to
 * this JVM's {@link SmtpSink}. Every port is a free one, so a local run or a test elsewhere on the
 * machine does not get in the way. Everything lives under bench/target/run and is wiped first.
 */
public final class Ensemble implements AutoCloseable {

    private static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(180);

    private final Path root;
    private final Path runDir;
    private final TestIssuer issuer = TestIssuer.shared();
    private final Shutdown shutdown = new Shutdown();
    private KafkaBroker broker;
    private LocalPostgres postgres;
    private SmtpSink sink;
    private ServiceSpec posts;
    private ServiceSpec comments;
    private ServiceSpec notifications;
    private final List<ServiceProcess> processes = new ArrayList<>();

    public Ensemble(Path root) {
        this(root, "run");
    }

    /** @param runName the folder under bench/target the run lives in (a second ensemble of one run keeps the first's logs) */
    public Ensemble(Path root, String runName) {
        this.root = root;
        this.runDir = root.resolve("bench/target").resolve(runName);
    }

    public Ensemble start(List<String> serviceJvmOptions) {
        return start(serviceJvmOptions, Map.of());
    }

    /**
     * @param overrides service settings (environment names) that win over the benchmark's own, e.g. the
     *                  hot-thread scenario's NOTIFICATIONS_FLOODCONTROL_ENABLED=true
     */
    public Ensemble start(List<String> serviceJvmOptions, Map<String, String> overrides) {
        Path kafkaLib = root.resolve("local-run/target/kafka-lib");
        if (!Files.isDirectory(kafkaLib)) {
            throw new IllegalStateException(kafkaLib + " is missing: ./bench/run builds it");
        }
        Path logDir = runDir.resolve("logs");
        try {
            Folders.wipe(runDir);
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + runDir, e);
        }
        say("starting Kafka (KRaft, one node), PostgreSQL and the SMTP sink ...");
        broker = shutdown.add("Kafka broker", new KafkaBroker(Ports.anyFree(), Ports.anyFree(), kafkaLib + "/*",
                runDir.resolve("kafka"), logDir.resolve("kafka.log"), List.of("-Xmx512m", "-Djava.awt.headless=true")));
        CompletableFuture<KafkaBroker> brokerReady = CompletableFuture.supplyAsync(broker::start);
        LocalPostgres server = new LocalPostgres(Ports.anyFree(), runDir.resolve("postgres"));
        if (StatementCosts.enabled()) {
            server.withServerConfig("shared_preload_libraries", "pg_stat_statements");
            // Planning is CPU that the execution time leaves out: a statement text seen for the first
            // time on a connection (an IN list of another length, say) is parsed and planned again.
            server.withServerConfig("pg_stat_statements.track_planning", "on");
            // The claim runs inside a function (notification-service's V12): whether its statement
            // keeps its plan shows only when nested statements are counted too.
            server.withServerConfig("pg_stat_statements.track", "all");
        }
        postgres = shutdown.add("PostgreSQL", server
                .start(List.of("posts", "comments", "notifications")));
        sink = shutdown.add("SMTP sink", new SmtpSink(0).start());
        brokerReady.join();

        posts = new ServiceSpec("post-service", Ports.anyFree(), Ports.anyFree(), "posts");
        comments = new ServiceSpec("comment-service", Ports.anyFree(), Ports.anyFree(), "comments");
        notifications = new ServiceSpec("notification-service", Ports.anyFree(), Ports.anyFree(), "notifications");
        Map<String, String> shared = new LinkedHashMap<>();
        shared.put("SPRING_DATASOURCE_USERNAME", LocalPostgres.USER);
        shared.put("SPRING_DATASOURCE_PASSWORD", LocalPostgres.PASSWORD);
        shared.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        shared.put("SPRING_MAIL_HOST", "localhost");
        shared.put("SPRING_MAIL_PORT", String.valueOf(sink.port()));
        shared.put("NOTIFICATIONS_PUBLIC_BASE_URL", comments.baseUrl());
        shared.put("NOTIFICATIONS_UNSUBSCRIBE_BASE_URL", notifications.baseUrl());
        // The load comes from one host and its people comment many times a minute: the limiter stays ON (its
        // cost is part of what is measured), with budgets far above any scenario's load.
        shared.put("COMMENTS_RATELIMIT_CLIENTPERMINUTE", "100000000");
        shared.put("COMMENTS_RATELIMIT_CLIENTPERDAY", "1000000000");
        shared.put("COMMENTS_RATELIMIT_MAILBOXPERMINUTE", "100000000");
        shared.put("COMMENTS_RATELIMIT_MAILBOXPERDAY", "1000000000");
        // The load generator stands in for the reverse proxy in front of comment-service: each comment names
        // its writer's own address in X-Forwarded-For (EnsembleApi.clientAddress), which comment-service
        // takes from this host's loopback addresses only, as README's proxy settings restrict it to the proxies.
        shared.put("SERVER_FORWARDHEADERSSTRATEGY", "native");
        shared.put("SERVER_TOMCAT_REMOTEIP_INTERNALPROXIES", "127\\.0\\.0\\.1|0:0:0:0:0:0:0:1|::1");
        // notification-service refuses the public development key; a random one per run, as the local run does.
        shared.put("NOTIFICATIONS_TOKENS_SECRETS", UUID.randomUUID() + "-" + UUID.randomUUID());
        // post-service and notification-service refuse to start without an erasure key of their own.
        shared.put("ENSEMBLE_ERASURE_KEY", UUID.randomUUID() + "-" + UUID.randomUUID());
        // A benchmark reader gets thousands of emails in minutes, which the default daily cap (50) would
        // skip. The cap's counting still runs on every email (one statement per sent batch): what it costs
        // is in the figures; only its limit is out of the way.
        shared.put("NOTIFICATIONS_DELIVERY_DAILY_CAP", String.valueOf(Integer.MAX_VALUE));
        // The scenarios measured so far count one email per recipient per comment: flood control (on by
        // default, notifications.flood-control) would fold a busy thread's updates into summaries sent 10
        // minutes later. The hot-thread scenario, which measures the summaries, starts an ensemble of its own
        // with it on (Bench.hotThread, through the overrides).
        shared.put("NOTIFICATIONS_FLOODCONTROL_ENABLED", "false");
        // The benchmark's authors sign in with tokens of its own stand-in identity provider (EnsembleApi).
        shared.put("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_PUBLICKEYLOCATION", issuer.publicKeyLocation());
        shared.putAll(overrides);
        ServiceGroup group = shutdown.add("services", new ServiceGroup());
        for (ServiceSpec spec : List.of(posts, comments, notifications)) {
            say("starting " + spec.name() + " on port " + spec.port() + " ...");
            // Map.of() as the inherited environment: the benchmark's own settings always win, so the
            // mail goes to the sink even when SPRING_MAIL_HOST is set; other variables (tuning such as
            // NOTIFICATIONS_DELIVERY_BATCH_SIZE) still reach the services through the inherited environment.
            processes.add(group.add(new ServiceProcess(spec, serviceJar(spec.name()), logDir.resolve(spec.name() + ".log")))
                    .start(serviceJvmOptions, ServiceEnvironment.forService(spec, postgres.jdbcUrl(spec.database()), shared, Map.of())));
        }
        for (ServiceProcess process : processes) {
            process.awaitHealthy(HEALTHY_TIMEOUT);
        }
        say("the ensemble is up (logs in " + root.relativize(logDir) + ")");
        return this;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public SmtpSink sink() {
        return sink;
    }

    /** The identity provider the services trust in this run: it signs the benchmark's authors' tokens. */
    public TestIssuer issuer() {
        return issuer;
    }

    public ServiceSpec posts() {
        return posts;
    }

    public ServiceSpec comments() {
        return comments;
    }

    public ServiceSpec notifications() {
        return notifications;
    }

    public Path root() {
        return root;
    }

    /** The services' process ids, by name. */
    public Map<String, Long> servicePids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (ServiceProcess process : processes) {
            if (process.isAlive()) {
                pids.put(process.spec().name(), process.pid());
            }
        }
        return pids;
    }

    /** PostgreSQL's data directory: its postmaster's command line names it. */
    public Path postgresDataDir() {
        return runDir.resolve("postgres");
    }

    public Path runDir() {
        return runDir;
    }

    /** A connection to one service's database (the benchmark seeds big threads directly, see FanOutScenario). */
    public Connection database(String name) {
        try {
            return DriverManager.getConnection(postgres.jdbcUrl(name), LocalPostgres.USER, LocalPostgres.PASSWORD);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to the database " + name, e);
        }
    }

    /** The module's exec jar, or the one BENCH_&lt;MODULE&gt;_JAR names (to compare two builds: before and after a change). */
    private Path serviceJar(String module) {
        String override = System.getenv("BENCH_" + module.toUpperCase().replace('-', '_') + "_JAR");
        if (override != null && !override.isBlank()) {
            say("using " + override + " for " + module);
            return Path.of(override);
        }
        Path target = root.resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().startsWith(module + "-")
                            && p.getFileName().toString().endsWith("-exec.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + module + "-*-exec.jar in " + target));
        } catch (IOException e) {
            throw new IllegalStateException("no " + module + "-*-exec.jar in " + target + ": ./bench/run builds it", e);
        }
    }

    private static void say(String message) {
        Bench.say(message);
    }

    @Override
    public void close() {
        shutdown.run();
    }
}
