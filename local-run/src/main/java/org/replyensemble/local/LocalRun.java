package org.replyensemble.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.replyensemble.local.accounts.LocalAccounts;
import org.replyensemble.local.kafka.KafkaBroker;
import org.replyensemble.local.mail.InboxServer;
import org.replyensemble.local.mail.MailCatcher;
import org.replyensemble.local.postgres.LocalPostgres;
import org.replyensemble.local.seeds.ExpectedEmails;
import org.replyensemble.local.seeds.ReplayResult;
import org.replyensemble.local.seeds.SeedConfirmations;
import org.replyensemble.local.seeds.SeedReplay;
import org.replyensemble.local.seeds.SeedThread;
import org.replyensemble.local.services.ServiceEnvironment;
import org.replyensemble.local.services.RestartPolicy;
import org.replyensemble.local.services.ServiceGroup;
import org.replyensemble.local.services.ServiceProcess;
import org.replyensemble.local.services.ServiceSpec;
import org.replyensemble.local.services.Supervisor;

/**
 * The one-command local run, no Docker: a KRaft broker (its own JVM), PostgreSQL and an SMTP
 * catcher with an inbox page (in this JVM), the three services as three {@code java -jar}
 * processes, then the seed thread replayed through the public APIs. Ctrl-C stops everything.
 * Every run starts from nothing: local-run/target/run is wiped first.
 * <p>
 * Run from the repository root (the {@code ./run-local} script does it after building);
 * settings: {@link LocalRunSettings}.
 */
public final class LocalRun {

    private static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration CONFIRMATION_MAIL_WAIT = Duration.ofSeconds(60);

    private final Path root;
    private final LocalRunSettings settings;
    private final Shutdown shutdown = new Shutdown();
    private final Path runDir;
    private final Path logDir;
    private MailCatcher catcher;
    private SeedThread seedThread;
    private boolean floodControl;
    private LocalAccounts accounts;

    LocalRun(Path root, LocalRunSettings settings) {
        this.root = root;
        this.settings = settings;
        this.runDir = root.resolve("local-run/target/run");
        this.logDir = runDir.resolve("logs");
    }

    public static void main(String[] args) throws InterruptedException {
        Path root = Path.of(args.length > 0 ? args[0] : "").toAbsolutePath().normalize();
        LocalRun run = new LocalRun(root, LocalRunSettings.from(System.getenv()));
        Runtime.getRuntime().addShutdownHook(new Thread(run.shutdown::run, "local-run-shutdown"));
        try {
            run.start();
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("Local run failed: " + message(e));
            run.shutdown.run();
            System.exit(1);
        }
        new CountDownLatch(1).await();
    }

    void start() {
        Path kafkaLib = root.resolve("local-run/target/kafka-lib");
        if (!Files.isDirectory(kafkaLib)) {
            throw new IllegalStateException(kafkaLib + " is missing: run from the repository root after "
                    + "./mvnw -DskipTests install (./run-local does both)");
        }
        try {
            Folders.wipe(runDir);
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + runDir, e);
        }

        accounts = createAccounts();

        say("Starting Kafka (KRaft, one node) on port " + settings.kafkaPort() + " ...");
        KafkaBroker broker = shutdown.add("Kafka broker", new KafkaBroker(settings.kafkaPort(),
                settings.kafkaControllerPort(), kafkaLib + "/*", runDir.resolve("kafka"),
                logDir.resolve("kafka.log"), List.of("-Xmx256m", "-Djava.awt.headless=true")));
        CompletableFuture<KafkaBroker> brokerReady = CompletableFuture.supplyAsync(broker::start);

        say("Starting PostgreSQL on port " + settings.postgresPort() + " ...");
        List<String> databases = settings.services().stream().map(ServiceSpec::database).toList();
        LocalPostgres postgres = shutdown.add("PostgreSQL",
                new LocalPostgres(settings.postgresPort(), runDir.resolve("postgres")).start(databases));

        if (settings.externalMail()) {
            say("SPRING_MAIL_HOST is set: no local mail catcher; mail goes to "
                    + settings.environment().get("SPRING_MAIL_HOST") + ":"
                    + settings.environment().getOrDefault("SPRING_MAIL_PORT", "(default port)"));
        } else {
            say("Starting the mail catcher: SMTP on " + settings.smtpPort() + ", inbox page on " + settings.mailUiPort() + " ...");
            catcher = shutdown.add("mail catcher", new MailCatcher(settings.smtpPort()).start());
            shutdown.add("mail page", new InboxServer(catcher, settings.mailUiPort()).start());
        }

        try {
            brokerReady.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        say("Kafka is ready at " + broker.bootstrapServers());

        Map<String, String> shared = settings.sharedServiceSettings(broker.bootstrapServers(),
                LocalPostgres.USER, LocalPostgres.PASSWORD);
        say("Comment rate limits: " + settings.commentLimits(shared) + " (COMMENTS_RATELIMIT_* to change)");
        say("Flood control: " + settings.floodControlInWords(shared));
        floodControl = settings.floodControl(shared);
        Map<String, String> accountSettings = accounts.environment();
        ServiceGroup services = shutdown.add("services", new ServiceGroup());
        for (ServiceSpec spec : settings.services()) {
            Path log = logDir.resolve(spec.name() + ".log");
            say("Starting " + spec.name() + " on ports " + spec.port() + " and " + spec.managementPort()
                    + " (management) (log: " + root.relativize(log) + ") ...");
            Map<String, String> environment = ServiceEnvironment.forService(spec, postgres.jdbcUrl(spec.database()), shared,
                    settings.environment());
            environment.putAll(accountSettings); // always this run's: accounts 0 and 1 (a user's own start at 2)
            services.add(new ServiceProcess(spec, serviceJar(spec.name()), log)).start(settings.serviceJvmOptions(), environment);
        }
        for (ServiceProcess service : services.services()) {
            service.awaitHealthy(HEALTHY_TIMEOUT);
            say(service.spec().name() + " is healthy");
        }
        // Added after the services, so it is closed before them: stopping them is no crash.
        Supervisor supervisor = shutdown.add("supervisor", new Supervisor(RestartPolicy.DEFAULT, HEALTHY_TIMEOUT,
                LocalRun::say, Clock.systemUTC()));
        services.services().forEach(supervisor::watch);
        say("Supervising the services: one that stops unasked is restarted (pauses of 1 s growing to 30 s, at most "
                + RestartPolicy.DEFAULT.maxRestarts() + " restarts in " + RestartPolicy.DEFAULT.window().toMinutes() + " min)");

        ReplayResult seeded = replaySeed();
        printSummary(broker, postgres, shared, seeded);
    }

    private Path serviceJar(String module) {
        Path target = root.resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().startsWith(module + "-")
                            && p.getFileName().toString().endsWith("-exec.jar"))
                    .findFirst()
                    .orElseThrow(() -> missingJar(target, module));
        } catch (IOException e) {
            throw missingJar(target, module);
        }
    }

    private static IllegalStateException missingJar(Path target, String module) {
        return new IllegalStateException("no " + module + "-*-exec.jar in " + target
                + ": build first with ./mvnw -DskipTests install (./run-local does it)");
    }

    /**
     * This run's accounts: the seed post's author (so the replay publishes as them) and an operator,
     * with new random passwords.
     */
    private LocalAccounts createAccounts() {
        SeedThread.Author author = seedThread() == null ? null : seedThread().post().author();
        return author == null ? LocalAccounts.create("Local Author", "author@example.org")
                : LocalAccounts.create(author.name(), author.email());
    }

    private SeedThread seedThread() {
        if (settings.seedFile() != null && seedThread == null) {
            seedThread = SeedThread.read(root.resolve(settings.seedFile()));
        }
        return seedThread;
    }

    private ReplayResult replaySeed() {
        if (settings.seedFile() == null) {
            say("SEED_FILE=none: no seed thread replayed");
            return null;
        }
        Path seedFile = root.resolve(settings.seedFile());
        say("Replaying " + root.relativize(seedFile) + " as " + accounts.author().username() + " ...");
        try {
            SeedThread thread = seedThread();
            ReplayResult result = new SeedReplay(URI.create(settings.postService().baseUrl()),
                    URI.create(settings.commentService().baseUrl()), accounts.author().credentials()).replay(thread);
            say("Seeded post " + result.postId() + " with " + result.commentIds().size() + " comments"
                    + (result.slug() == null ? "" : ": " + seedPage(result)));
            confirmSeedAddresses(thread);
            watchMail(seedFile);
            return result;
        } catch (RuntimeException e) {
            System.err.println("!! The seed replay failed (the services keep running): " + message(e));
            return null;
        }
    }

    /**
     * The seed's commenters must confirm their addresses before they get reply emails, like anyone:
     * the launcher does it as each of them would, from the confirmation email in the catcher; when
     * the mail goes to another server it cannot read, through the operator call, and says so.
     */
    private void confirmSeedAddresses(SeedThread thread) {
        Set<String> addresses = SeedConfirmations.addressesToConfirm(thread);
        SeedConfirmations confirmations = new SeedConfirmations(accounts.operator().credentials());
        if (catcher != null) {
            say("Confirming the " + addresses.size() + " commenters' addresses as each reader would: opening the link in "
                    + "their confirmation email and pressing \"Confirm my address\" ...");
            confirmations.confirmByMail(catcher::messages, addresses, CONFIRMATION_MAIL_WAIT);
            say("Confirmed " + addresses.size() + " addresses; their held reply emails are on their way");
        } else {
            say("The mail goes to a server this launcher cannot read: confirming the " + addresses.size()
                    + " seed addresses through the operator call POST /api/addresses/confirmations (as "
                    + accounts.operator().username() + ") instead of their links");
            confirmations.confirmByOperator(URI.create(settings.notificationService().baseUrl()), addresses);
            say("Confirmed " + addresses.size() + " addresses by the operator call");
        }
    }

    /** Reports, in the background, when the mail the seed thread should give has arrived. */
    private void watchMail(Path seedFile) {
        // With flood control on, the summaries come when their window closes (10 minutes by default):
        // only the emails sent at once are awaited here.
        Path expectedFile = seedFile.resolveSibling(seedFile.getFileName().toString()
                .replaceFirst("\\.json$", floodControl ? ".flood-control.expected.json" : ".expected.json"));
        if (catcher == null || !Files.isRegularFile(expectedFile)) {
            return;
        }
        ExpectedEmails emails = ExpectedEmails.read(expectedFile);
        int expected = emails.size();
        Thread watcher = new Thread(() -> {
            boolean all = catcher.awaitMessages(expected, Duration.ofSeconds(120).toMillis());
            int received = catcher.messages().size();
            say(all ? "Mail: all " + expected + " expected emails of the seed thread arrived (" + emails.notifications().size()
                    + " reply emails and " + emails.confirmations().size() + " confirmation emails; received " + received + ")"
                    : "Mail: " + received + " of the " + expected + " expected emails arrived within 120 s");
        }, "mail-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void printSummary(KafkaBroker broker, LocalPostgres postgres, Map<String, String> shared, ReplayResult seeded) {
        ServiceSpec posts = settings.postService();
        ServiceSpec comments = settings.commentService();
        ServiceSpec notifications = settings.notificationService();
        StringBuilder out = new StringBuilder("\n=== The local run is up ===\n");
        line(out, "blog (pages)", comments.baseUrl() + "/", "the posts; each email links to a comment's page");
        line(out, "post-service", posts.baseUrl() + "/api/posts", "Swagger UI " + posts.managementUrl() + "/actuator/swagger-ui");
        line(out, "comment-service", comments.baseUrl() + "/api/posts/{postId}/comments",
                "Swagger UI " + comments.managementUrl() + "/actuator/swagger-ui");
        line(out, "notification-service", notifications.baseUrl() + "/api/deliveries",
                "Swagger UI " + notifications.managementUrl() + "/actuator/swagger-ui");
        line(out, "metrics, health", posts.managementUrl() + "/actuator/prometheus",
                "and :" + comments.managementPort() + ", :" + notifications.managementPort() + "; public ports: /livez, /readyz");
        if (catcher != null) {
            line(out, "mail", "http://localhost:" + settings.mailUiPort() + "/",
                    "SMTP localhost:" + settings.smtpPort() + ", JSON http://localhost:" + settings.mailUiPort() + "/api/messages");
        } else {
            line(out, "mail", "sent to " + settings.effective("SPRING_MAIL_HOST", shared) + ":"
                    + settings.effective("SPRING_MAIL_PORT", shared), "");
        }
        line(out, "kafka", broker.bootstrapServers(), "log " + root.relativize(broker.logFile()));
        line(out, "postgresql", postgres.jdbcUrl("{posts|comments|notifications}"), "user postgres");
        line(out, "logs", root.relativize(logDir) + "/", "");
        line(out, "comment limits", settings.commentLimits(shared), "COMMENTS_RATELIMIT_*");
        line(out, "flood control", settings.floodControl(shared) ? "on" : "off: one email per recipient per comment",
                "NOTIFICATIONS_FLOODCONTROL_ENABLED");
        if (seeded != null) {
            out.append("\nSeeded thread (post ").append(seeded.postId()).append("):\n");
            if (seeded.slug() != null) {
                line(out, "page", seedPage(seeded), "open it in a browser");
            }
            line(out, "post", posts.baseUrl() + "/api/posts/" + seeded.postId(), "");
            line(out, "comments", comments.baseUrl() + "/api/posts/" + seeded.postId() + "/comments", "");
            if (!seeded.commentIds().isEmpty()) {
                line(out, "deliveries", notifications.baseUrl() + "/api/deliveries?commentId="
                        + seeded.commentIdsByRef().get(seeded.commentIdsByRef().lastKey()),
                        "the emails for the last comment; the operator account");
            }
        }
        out.append("\nAccounts of this run (new passwords on every start; HTTP Basic, e.g. curl -u user:password):\n");
        line(out, "author", accounts.author().username() + " / " + accounts.author().password(),
                accounts.author().name() + ", publishes and edits posts");
        line(out, "operator", accounts.operator().username() + " / " + accounts.operator().password(),
                "the delivery log: curl -u " + accounts.operator().username() + ":" + accounts.operator().password()
                        + " " + notifications.baseUrl() + "/api/deliveries");
        out.append("\nPress Ctrl-C to stop everything.\n");
        System.out.println(out);
    }

    /** The seed thread's page on comment-service, the page its emails link to. */
    private String seedPage(ReplayResult seeded) {
        try {
            return settings.commentService().baseUrl() + new URI(null, null, "/posts/" + seeded.slug(), null).getRawPath();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("not a usable slug: " + seeded.slug(), e);
        }
    }

    private static void line(StringBuilder out, String name, String url, String more) {
        out.append(String.format("  %-21s %s%s%n", name, url, more.isEmpty() ? "" : "   (" + more + ")"));
    }

    private static void say(String message) {
        System.out.println("[local-run] " + message);
    }

    private static String message(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
