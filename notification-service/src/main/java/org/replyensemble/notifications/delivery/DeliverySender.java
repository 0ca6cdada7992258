package org.replyensemble.notifications.delivery;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.replyensemble.notifications.addresses.AddressBook;
import org.replyensemble.notifications.addresses.Addresses;
import org.replyensemble.notifications.confirmations.DeliveriesReleased;
import org.replyensemble.notifications.email.EmailComposer;
import org.replyensemble.notifications.threads.DeliveriesRecorded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The sending stage: any instance sends any pending delivery, whichever instance recorded it.
 * Woken right after the thread stage commits deliveries; polls as a fallback (and for retries
 * that come due).
 *
 * <p>A claimed batch goes out over one SMTP connection ({@code send(MimeMessage...)}), and
 * {@link MailSendException#getFailedMessages()} says which messages failed: a connection per
 * message costs a TCP and SMTP handshake each (about 200 mails/s to GreenMail), which a large
 * thread's fan-out would feel. A message is sent at least once: if this instance dies after the
 * SMTP server took a message but before SENT is recorded, the lease runs out and it is sent again
 * with the same derived Message-ID, so the resend is recognisable.
 */
@Component
class DeliverySender implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliverySender.class);

    private final Deliveries deliveries;
    private final AddressBook addresses;
    private final EmailComposer composer;
    private final JavaMailSender mailSender;
    private final DeliveryProperties properties;
    private final Semaphore wakeUps = new Semaphore(0);
    private final Counter sent;
    private final Counter retried;
    private final Counter failed;
    private final Counter rejected;
    private final Counter suppressed;
    private final Counter capped;
    private final Counter held;
    private final Counter suppressedByBounces;

    private volatile boolean running;
    private final List<Thread> workers = new ArrayList<>();

    DeliverySender(Deliveries deliveries, AddressBook addresses, EmailComposer composer, JavaMailSender mailSender,
            DeliveryProperties properties, MeterRegistry meters) {
        this.deliveries = deliveries;
        this.addresses = addresses;
        this.composer = composer;
        this.mailSender = mailSender;
        this.properties = properties;
        this.sent = emails(meters, "sent");
        this.retried = emails(meters, "retry");
        this.failed = emails(meters, "failed");
        this.rejected = emails(meters, "rejected");
        this.suppressed = emails(meters, "suppressed");
        this.capped = emails(meters, "skipped");
        this.held = emails(meters, "held");
        this.suppressedByBounces = meters.counter("notifications.addresses.suppressed", "reason", "hard-bounce");
        Gauge.builder("notifications.deliveries.pending", this, DeliverySender::pendingOrNaN)
                .description("Deliveries waiting to be sent (due now or later)")
                .register(meters);
    }

    private static Counter emails(MeterRegistry meters, String outcome) {
        return Counter.builder("notifications.emails").description("Emails (replies and confirmations) by outcome")
                .tag("outcome", outcome).register(meters);
    }

    @TransactionalEventListener
    void onDeliveriesRecorded(DeliveriesRecorded recorded) {
        wakeUp();
    }

    @TransactionalEventListener
    void onDeliveriesReleased(DeliveriesReleased released) {
        wakeUp();
    }

    /** Wakes every sender: a large fan-out keeps all of them busy, a small one costs the others an empty claim. */
    void wakeUp() {
        int missing = properties.senders() - wakeUps.availablePermits();
        if (missing > 0) {
            wakeUps.release(missing);
        }
    }

    /** Sends every due delivery now, on the caller's thread; returns how many were handled. */
    int sendDue() {
        int total = 0;
        int handled;
        do {
            handled = sendBatch();
            total += handled;
        } while (handled == properties.batchSize() && running);
        return total;
    }

    private int sendBatch() {
        List<Long> claimed = deliveries.claimDue(properties.batchSize(), properties.claimLease());
        if (claimed.isEmpty()) {
            return 0;
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<OutgoingEmail> toSend = new ArrayList<>();
        Map<String, List<Long>> unsent = new LinkedHashMap<>();
        for (OutgoingEmail outgoing : deliveries.load(claimed)) {
            // Checked again here: the owner may have chosen otherwise since the fan-out.
            SendPolicy.Decision decision = SendPolicy.decide(outgoing);
            if (decision instanceof SendPolicy.Suppress suppress) {
                unsent.computeIfAbsent(suppress.reason(), r -> new ArrayList<>()).add(outgoing.deliveryId());
            } else if (decision instanceof SendPolicy.Hold hold) {
                deliveries.hold(outgoing.deliveryId(), outgoing.recipientEmail(), hold.reason());
                held.increment();
            } else {
                toSend.add(outgoing);
            }
        }
        unsent.forEach((reason, ids) -> {
            deliveries.markUnsent(ids, DeliveryStatus.SUPPRESSED, reason);
            suppressed.increment(ids.size());
        });
        List<OutgoingEmail> withinCap = withinDailyCap(toSend, today);
        Session session = session();
        Map<MimeMessage, OutgoingEmail> messages = new LinkedHashMap<>();
        for (OutgoingEmail outgoing : withinCap) {
            try {
                messages.put(outgoing.isConfirmation() ? composer.compose(outgoing.confirmation(), session)
                        : composer.compose(outgoing.reply(), session), outgoing);
            } catch (Exception e) {
                attemptFailed(outgoing, e, today);
            }
        }
        if (!messages.isEmpty()) {
            send(messages, today);
        }
        return claimed.size();
    }

    /**
     * The per-recipient daily cap, enforced here because only the sender knows what is really sent:
     * the batch's reply emails are counted per recipient in one statement, and those past the cap
     * are SKIPPED with the reason. A delivery is counted once (its retries are not counted again).
     */
    private List<OutgoingEmail> withinDailyCap(List<OutgoingEmail> toSend, LocalDate today) {
        SortedMap<String, Integer> requested = new TreeMap<>();
        toSend.stream().filter(e -> e.countsTowardsCap() && e.countedOn() == null)
                .forEach(e -> requested.merge(e.recipientEmail(), 1, Integer::sum));
        if (requested.isEmpty()) {
            return toSend;
        }
        Map<String, Integer> countAfter = deliveries.countTowardsCap(requested, today);
        Map<String, Integer> allowed = new HashMap<>();
        requested.forEach((email, count) -> allowed.put(email,
                DailyCap.allowed(countAfter.getOrDefault(email, count), count, properties.dailyCap())));
        List<OutgoingEmail> within = new ArrayList<>(toSend.size());
        List<Long> skipped = new ArrayList<>();
        for (OutgoingEmail outgoing : toSend) {
            if (!outgoing.countsTowardsCap() || outgoing.countedOn() != null) {
                within.add(outgoing);
            } else if (allowed.merge(outgoing.recipientEmail(), -1, Integer::sum) >= 0) {
                within.add(outgoing);
            } else {
                skipped.add(outgoing.deliveryId());
            }
        }
        if (!skipped.isEmpty()) {
            deliveries.markUnsent(skipped, DeliveryStatus.SKIPPED,
                    "daily cap of " + properties.dailyCap() + " emails to this recipient reached");
            capped.increment(skipped.size());
        }
        return within;
    }

    private void send(Map<MimeMessage, OutgoingEmail> messages, LocalDate today) {
        Map<Object, Exception> failures = Map.of();
        try {
            mailSender.send(messages.keySet().toArray(MimeMessage[]::new));
        } catch (MailSendException e) {
            failures = e.getFailedMessages();
            if (failures.isEmpty()) {
                failures = allFailed(messages, e);
            }
        } catch (MailException e) {
            failures = allFailed(messages, e);
        }
        List<Long> sentIds = new ArrayList<>(messages.size());
        List<String> bouncedBefore = new ArrayList<>();
        for (Map.Entry<MimeMessage, OutgoingEmail> entry : messages.entrySet()) {
            OutgoingEmail outgoing = entry.getValue();
            Exception failure = failures.get(entry.getKey());
            if (failure == null) {
                sentIds.add(outgoing.deliveryId());
                if (outgoing.recipient().hardBounces() > 0) {
                    bouncedBefore.add(outgoing.recipientEmail());
                }
            } else {
                attemptFailed(outgoing, failure, today);
            }
        }
        deliveries.markSent(sentIds, today);
        addresses.clearHardBounces(bouncedBefore);
        sent.increment(sentIds.size());
    }

    private static Map<Object, Exception> allFailed(Map<MimeMessage, OutgoingEmail> messages, Exception e) {
        Map<Object, Exception> all = new LinkedHashMap<>();
        messages.keySet().forEach(message -> all.put(message, e));
        return all;
    }

    private void attemptFailed(OutgoingEmail outgoing, Exception e, LocalDate today) {
        int failedAttempts = outgoing.attempts() + 1;
        String error = describe(e);
        LocalDate countedOn = outgoing.countsTowardsCap() ? today : null;
        SmtpFailures.Kind kind = SmtpFailures.classify(e);
        if (kind != SmtpFailures.Kind.TRANSIENT) {
            // A permanent rejection is not retried: the next attempt would get the same answer.
            deliveries.markRejected(outgoing.deliveryId(), error, kind == SmtpFailures.Kind.PERMANENT_RECIPIENT
                    ? "the recipient's mail server rejected the address (hard bounce)"
                    : "the recipient's mail server rejected the message", countedOn);
            rejected.increment();
            log.warn("Delivery {} rejected for good: {}", outgoing.deliveryId(), error);
            if (kind == SmtpFailures.Kind.PERMANENT_RECIPIENT
                    && addresses.recordHardBounce(outgoing.recipientEmail(), properties.hardBounceLimit())) {
                suppressedByBounces.increment();
                log.warn("Address {} suppressed after {} hard bounces in a row", Addresses.mask(outgoing.recipientEmail()),
                        properties.hardBounceLimit());
            }
            return;
        }
        DeliveryStatus status = deliveries.markAttemptFailed(outgoing.deliveryId(), outgoing.attempts(), error,
                properties.backoffAfter(failedAttempts), properties.maxAttempts(), countedOn);
        if (status == DeliveryStatus.FAILED) {
            failed.increment();
            log.warn("Delivery {} failed for good after {} attempts: {}", outgoing.deliveryId(), failedAttempts, error);
        } else {
            retried.increment();
            log.info("Delivery {} attempt {} failed, retrying later: {}", outgoing.deliveryId(), failedAttempts, error);
        }
    }

    /** SMTP errors name the recipient: masked here, so neither the log nor the delivery table shows an address. */
    private static String describe(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        return Addresses.maskWithin(root == e ? message : message + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")");
    }

    /** The sender's own session, so spring.mail.properties (timeouts, charset) apply to the messages too. */
    private Session session() {
        if (mailSender instanceof JavaMailSenderImpl impl) {
            return impl.getSession();
        }
        return Session.getInstance(new Properties());
    }

    private double pendingOrNaN() {
        try {
            return deliveries.countPending();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private void run() {
        while (running) {
            try {
                sendDue();
            } catch (RuntimeException e) {
                // Usually the database; the claimed rows come back after their lease.
                log.warn("Sending deliveries failed, will try again: {}", e.toString());
            }
            try {
                wakeUps.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Several sender threads, each claiming its own batches (SKIP LOCKED keeps them apart, as it does
     * across instances): while one waits on SMTP or the database, another composes. Two threads and
     * one UPDATE per sent batch took the benchmark (bench/, issue #4) from 532 to 1,266 emails/s for a
     * backlog and the 10,000-recipient fan-out from 16.6 s to 8.7 s.
     */
    @Override
    public void start() {
        running = true;
        for (int i = 0; i < properties.senders(); i++) {
            Thread worker = new Thread(this::run, "delivery-sender-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    @Override
    public void stop() {
        running = false;
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
