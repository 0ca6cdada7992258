package org.replyensemble.notifications.operations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.MessagingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Whether the SMTP server takes connections, asked on its own thread every
 * {@code notifications.mail-check.interval}: the {@code mail} health component and the
 * {@code notifications.mail.server.up} gauge (1 or 0) read the last answer.
 * <p>
 * In place of Boot's mail health indicator, which connects on every health request (a probe would
 * wait up to the SMTP connection timeout while the server hangs). The {@code mail} component is
 * left out of the readiness group: while the mail server is away this service still consumes
 * events, records deliveries and answers the links in emails, and retries the mail later, so it
 * must stay behind the load balancer; the outage shows in /actuator/health and the gauge.
 */
public final class MailServerWatch implements HealthIndicator, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MailServerWatch.class);

    private record Answer(boolean up, Instant checkedAt, String error) {
    }

    private final JavaMailSenderImpl mailSender;
    private final Duration interval;
    private final Clock clock;
    private volatile Answer last;
    private volatile boolean running;
    private ScheduledExecutorService executor;

    public MailServerWatch(JavaMailSenderImpl mailSender, Duration interval, MeterRegistry meters, Clock clock) {
        this.mailSender = mailSender;
        this.interval = interval;
        this.clock = clock;
        Gauge.builder("notifications.mail.server.up", this, MailServerWatch::upOrNaN)
                .description("1 while the SMTP server took the last check's connection, 0 when it did not")
                .register(meters);
    }

    /** One check; runs on the watch's thread (public for tests). */
    public void check() {
        Instant now = clock.instant();
        try {
            mailSender.testConnection();
            if (last != null && !last.up()) {
                log.info("The mail server {}:{} answers again", mailSender.getHost(), mailSender.getPort());
            }
            last = new Answer(true, now, null);
        } catch (MessagingException | RuntimeException e) {
            if (last == null || last.up()) {
                log.warn("The mail server {}:{} does not answer: {}", mailSender.getHost(), mailSender.getPort(), e.toString());
            }
            last = new Answer(false, now, e.toString());
        }
    }

    @Override
    public Health health() {
        Answer answer = last;
        if (answer == null) {
            return Health.unknown().withDetail("checked", "not yet").build();
        }
        Duration age = Duration.between(answer.checkedAt(), clock.instant());
        Health.Builder health = answer.up() ? Health.up() : Health.down();
        // A check that hangs past its timeouts (connection 5 s, reply 10 s) is itself a finding.
        if (age.compareTo(interval.multipliedBy(2).plusSeconds(30)) > 0) {
            health = Health.down().withDetail("stale", "no answer from the check for " + age.toSeconds() + " s");
        }
        health.withDetail("server", mailSender.getHost() + ":" + mailSender.getPort())
                .withDetail("checkedAt", answer.checkedAt().toString());
        if (answer.error() != null) {
            health.withDetail("error", answer.error());
        }
        return health.build();
    }

    private double upOrNaN() {
        Answer answer = last;
        return answer == null ? Double.NaN : answer.up() ? 1 : 0;
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "mail-server-watch");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
