package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.replyensemble.local.accounts.Credentials;
import org.replyensemble.local.seeds.ExpectedEmails;
import org.replyensemble.local.seeds.ReplayResult;
import org.replyensemble.local.seeds.SeedConfirmations;
import org.replyensemble.local.seeds.SeedReplay;
import org.replyensemble.local.seeds.SeedThread;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import tools.jackson.databind.JsonNode;

/**
 * docker-compose.yml started the way the README says ({@code docker compose up --build}): every
 * container becomes healthy; the seed thread replayed through the published ports, each commenter
 * confirming their address from the confirmation email in Mailpit (GET the link's page, POST its
 * form), gives exactly its 67 expected emails (60 replies, 7 confirmations); and with
 * notification-service scaled to three instances a burst on several threads (its commenters
 * confirmed by the operator call) loses no email and mails nobody else when one instance is
 * killed in the middle of it.
 *
 * <p>It needs a Docker engine and builds the images, so it runs only when named
 * ({@code -Dtest=ComposeStackSmokeTest}, as .ci/run does); fault-tests' Surefire configuration
 * leaves it out of {@code ./mvnw verify}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeStackSmokeTest {

    private static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    private static final Path SEEDS = ROOT.resolve("seeds");
    private static final URI POSTS = URI.create("http://localhost:8081");
    private static final URI COMMENTS = URI.create("http://localhost:8082");
    /** One instance alone gets 8083 (the file publishes 8083-8085); the operator API is there. */
    private static final URI NOTIFICATIONS = URI.create("http://localhost:8083");
    private static final Duration SETTLE = Duration.ofMinutes(5);
    /** notification-service's defaults: a sender claims up to 50 deliveries, two senders per instance. */
    private static final int IN_FLIGHT_PER_INSTANCE = 50 * 2;

    private static final SeedThread SEED = SeedThread.read(SEEDS.resolve("vitamin-k2-thread.json"));
    private static final String OPERATOR_PASSWORD = secret();
    private static final Credentials OPERATOR = Credentials.basic("smoke-operator", OPERATOR_PASSWORD);
    /** The blog's author account, the seed post's author: AUTHOR_* of the file. */
    private static final String SEED_AUTHOR_PASSWORD = secret();
    private static final Credentials SEED_AUTHOR = Credentials.basic("smoke-author", SEED_AUTHOR_PASSWORD);
    /** The burst's thread authors: four more author accounts, added by an override file. */
    private static final int BURST_THREADS = 4;
    private static final String BURST_DOMAIN = "compose.smoke.example.org";
    private static final String BURST_AUTHORS_PASSWORD = secret();

    private static final Path DIR = Path.of(System.getProperty("faults.dir", "target/faults"));
    private static final Compose compose = new Compose(ROOT, DIR.resolve("logs/compose.log"), operatorsEnvironment(),
            List.of(overrides()));
    private static final Mailpit mailpit = new Mailpit(URI.create("http://localhost:8025"));
    private static final SeedConfirmations confirmations = new SeedConfirmations(OPERATOR);
    private static final Set<String> confirmedByOperator = ConcurrentHashMap.newKeySet();
    /**
     * The burst's commenters are each confirmed by the operator call before their first comment;
     * its thread authors publish with their accounts.
     */
    private static final Blog blog = new Blog(() -> POSTS, () -> COMMENTS, address -> {
        if (confirmedByOperator.add(address)) {
            confirmations.confirmByOperator(NOTIFICATIONS, Set.of(address));
        }
    }, author -> Credentials.basic(burstAuthorUsername(author.email()), BURST_AUTHORS_PASSWORD).authorization());

    @BeforeAll
    static void up() {
        System.out.println("[compose smoke] " + compose.command() + " up --build, log in target/faults/logs/compose.log");
        compose.run("down", "-v", "--remove-orphans"); // a stack left over by an interrupted run
        compose.run("up", "--build", "-d");
        for (String service : List.of("kafka", "postgres", "mailpit", "post-service", "comment-service", "notification-service")) {
            compose.awaitHealthy(service, 1, Duration.ofMinutes(5));
        }
    }

    @AfterAll
    static void down() {
        compose.saveLogs();
        compose.run("down", "-v", "--remove-orphans");
    }

    /**
     * What an operator sets before the first start (deploy/compose.env.example): the file has no
     * default for any password, secret or account. Fresh random values for every run; the seed
     * post's author is the blog's author account.
     */
    private static Map<String, String> operatorsEnvironment() {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
        Map<String, String> environment = new HashMap<>();
        environment.put("COMPOSE_PROJECT_NAME", "replyensemble-smoke");
        environment.put("POSTGRES_PASSWORD", secret());
        environment.put("POST_SERVICE_DB_PASSWORD", secret());
        environment.put("COMMENT_SERVICE_DB_PASSWORD", secret());
        environment.put("NOTIFICATION_SERVICE_DB_PASSWORD", secret());
        environment.put("NOTIFICATIONS_TOKENS_SECRETS", secret());
        environment.put("ENSEMBLE_ERASURE_KEY", secret());
        environment.put("OPERATOR_USERNAME", OPERATOR.username());
        environment.put("OPERATOR_PASSWORD_HASH", "{bcrypt}" + bcrypt.encode(OPERATOR_PASSWORD));
        environment.put("AUTHOR_USERNAME", SEED_AUTHOR.username());
        environment.put("AUTHOR_PASSWORD_HASH", "{bcrypt}" + bcrypt.encode(SEED_AUTHOR_PASSWORD));
        environment.put("AUTHOR_NAME", SEED.post().author().name());
        environment.put("AUTHOR_EMAIL", SEED.post().author().email());
        // read by the override file (a hash holds $ signs, which compose would read in the file itself)
        environment.put("SMOKE_BURST_AUTHORS_PASSWORD_HASH", "{bcrypt}" + bcrypt.encode(BURST_AUTHORS_PASSWORD));
        return environment;
    }

    private static Blog.Person burstAuthor(int thread) {
        return new Blog.Person("Olga" + thread, "olga" + thread + "@" + BURST_DOMAIN);
    }

    private static String burstAuthorUsername(String email) {
        return "smoke-" + email.substring(0, email.indexOf('@'));
    }

    /**
     * An operator's override of the file. All of this test's comments come from one client address
     * (the host, through Docker's port forwarding), more in a minute than comment-service's
     * per-client budget lets through: the limits stay on, with budgets this load never reaches.
     * And post-service gets an author account for each of the burst's threads
     * ({@code ACCOUNTS_USERS_2_*} on, after the file's operator and author). notification-service
     * runs without flood control: the seed thread's expected emails are the per-comment rules, as
     * in the local run, and the burst counts one email per recipient per comment.
     */
    private static Path overrides() {
        StringBuilder authors = new StringBuilder();
        for (int thread = 0; thread < BURST_THREADS; thread++) {
            Blog.Person author = burstAuthor(thread);
            String prefix = "      ACCOUNTS_USERS_" + (thread + 2) + "_";
            authors.append(prefix).append("USERNAME: ").append(burstAuthorUsername(author.email())).append('\n')
                    .append(prefix).append("PASSWORD: \"${SMOKE_BURST_AUTHORS_PASSWORD_HASH:?set by the smoke test}\"\n")
                    .append(prefix).append("NAME: ").append(author.name()).append('\n')
                    .append(prefix).append("EMAIL: ").append(author.email()).append('\n')
                    .append(prefix).append("ROLES: AUTHOR\n");
        }
        Path override = DIR.resolve("compose/smoke.override.yml");
        try {
            Files.createDirectories(override.getParent());
            Files.writeString(override, """
                    services:
                      comment-service:
                        environment:
                          COMMENTS_RATELIMIT_CLIENTPERMINUTE: "100000"
                          COMMENTS_RATELIMIT_CLIENTPERDAY: "100000"
                          COMMENTS_RATELIMIT_MAILBOXPERMINUTE: "100000"
                          COMMENTS_RATELIMIT_MAILBOXPERDAY: "100000"
                      notification-service:
                        environment:
                          NOTIFICATIONS_FLOODCONTROL_ENABLED: "false"
                      post-service:
                        environment:
                    """ + authors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return override;
    }

    @Test
    @Order(1)
    void theSeedThreadThroughThePublishedPortsGivesItsSixtyRepliesAndSevenConfirmations() {
        SeedThread thread = SEED;
        ExpectedEmails expected = ExpectedEmails.read(SEEDS.resolve("vitamin-k2-thread.expected.json"));

        ReplayResult replay = new SeedReplay(POSTS, COMMENTS, SEED_AUTHOR).replay(thread);
        Map<UUID, Integer> refs = replay.commentIds().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
        // Each commenter opens the link in their confirmation email and confirms on its page; their replies were held until then.
        Set<String> commenters = SeedConfirmations.addressesToConfirm(thread);
        confirmations.confirmByMail(mailpit::confirmationMails, commenters, SETTLE);
        awaitSettled(refs.keySet(), expected.size());

        List<String> received = mailpit.messages().stream().filter(message -> refs.containsKey(message.commentId()))
                .map(message -> refs.get(message.commentId()) + " -> " + message.to().toLowerCase()
                        + (message.isConfirmation() ? " (confirm)" : ""))
                .toList();
        Set<String> wanted = expected.emails().stream().map(email -> email.commentRef() + " -> " + email.recipient().toLowerCase()
                        + (email.kind() == ExpectedEmails.Kind.CONFIRMATION ? " (confirm)" : ""))
                .collect(Collectors.toSet());
        assertThat(received).doesNotHaveDuplicates();
        assertThat(new HashSet<>(received)).isEqualTo(wanted);
        assertThat(received).hasSize(67);
        assertThat(received).filteredOn(email -> email.endsWith(" (confirm)")).hasSize(commenters.size()).hasSize(7);
    }

    @Test
    @Order(2)
    void threeInstancesLoseNoEmailWhenOneIsKilledMidBurst() throws Exception {
        compose.run("up", "-d", "--no-recreate", "--scale", "notification-service=3");
        compose.awaitHealthy("notification-service", 3, Duration.ofMinutes(5));

        String domain = BURST_DOMAIN;
        List<ThreadLog> threads = IntStream.range(0, BURST_THREADS)
                .mapToObj(n -> blog.publish("Compose burst " + n, burstAuthor(n)))
                .toList();
        int perThread = 8;
        int expected = threads.size() * perThread * (perThread + 1) / 2;
        String victim = compose.containers("notification-service").stream()
                .filter(id -> !compose.inspect(id, "{{json .NetworkSettings.Ports}}").contains("\"8083\""))
                .findFirst().orElseThrow();
        try (Burst burst = new Burst(blog, threads, perThread, perThread, domain, 4)) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> mailpit.emails().stream().filter(e -> e.recipient().endsWith(domain)).count() >= expected / 6);
            execute("docker", "kill", victim);
            // The fault happened: the instance is gone while the burst is still being sent.
            assertThat(compose.inspect(victim, "{{.State.Running}} {{.State.ExitCode}}")).isEqualTo("false 137");
            assertThat(mailpit.emails().stream().filter(e -> e.recipient().endsWith(domain)).count())
                    .as("killed in the middle of the burst").isLessThan(expected);
            burst.awaitPosted();
        }
        Set<UUID> ids = ThreadLog.commentIds(threads);
        awaitSettled(ids, expected);
        assertThat(mailpit.messages()).filteredOn(message -> message.to().endsWith(domain))
                .as("confirmation emails to addresses the operator had confirmed").noneMatch(Mailpit.Message::isConfirmation);

        Figures figures = Figures.count("compose: notification-service x3, one killed", "docker kill of one of three instances mid-burst",
                ThreadLog.commentCount(threads), ThreadLog.expectedEmails(threads), mailpit.emails(), ids);
        assertThat(figures.lost()).as("emails lost").isZero();
        assertThat(figures.unexpected()).as("emails nobody should have had").isZero();
        assertThat(figures.expected()).isEqualTo(expected);
        // A repeat is possible only for what the killed instance had handed to the SMTP server and
        // not yet recorded as sent (NotificationCrashTest measures that window); it carries the same Message-ID.
        assertThat(figures.duplicated()).as("repeats only from the killed instance's batches in flight")
                .isLessThanOrEqualTo(IN_FLIGHT_PER_INSTANCE);
    }

    /**
     * Waits until every delivery of these comments (reply and confirmation emails) is SENT (the
     * operator API) and the catcher holds at least the expected number of their emails: nothing
     * more can be sent about them then, so a late duplicate would already show in the count that follows.
     */
    private static void awaitSettled(Collection<UUID> commentIds, int expectedEmails) {
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Set<String> distinct = mailpit.messages().stream().filter(message -> commentIds.contains(message.commentId()))
                    .map(Mailpit.Message::messageId).collect(Collectors.toSet());
            if (distinct.size() < expectedEmails) {
                return false;
            }
            int deliveries = 0;
            for (UUID commentId : commentIds) {
                JsonNode page = Blog.json(operatorGet(NOTIFICATIONS.resolve("/api/deliveries?size=100&commentId=" + commentId)));
                for (JsonNode delivery : page.get("deliveries")) {
                    if (!"SENT".equals(delivery.get("status").asString())) {
                        return false;
                    }
                    deliveries++;
                }
            }
            return deliveries == expectedEmails;
        });
    }

    /** The operator API, with the operator's account. */
    private static HttpResponse<String> operatorGet(URI uri) {
        HttpResponse<String> response = Blog.get(uri, OPERATOR.authorization());
        assertThat(response.statusCode()).as("GET %s", uri).isEqualTo(200);
        return response;
    }

    private static void execute(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private static String secret() {
        byte[] bytes = new byte[48];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
