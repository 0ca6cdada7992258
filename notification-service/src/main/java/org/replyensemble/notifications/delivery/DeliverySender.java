package org.replyensemble.notifications.delivery;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.replyensemble.notifications.addresses.AddressBook;
import org.replyensemble.notifications.addresses.Addresses;
import org.replyensemble.notifications.confirmations.DeliveriesReleased;
import org.replyensemble.notifications.email.EmailComposer;
import org.replyensemble.notifications.threads.DeliveriesRecorded;
import org.replyensemble.notifications.threads.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The sending stage: any instance sends any pending delivery, whichever instance recorded it.
 * Woken right after the thread stage commits deliveries; polls as a fallback (and for retries
 * that come due).
 *
 * <p>Each sender thread keeps one SMTP connection from batch to batch while there is mail (see
 * {@link SmtpConnection}): a connection per message costs a TCP and SMTP handshake each (about 200
 * mails/s to GreenMail), which a large thread's fan-out would feel, and a connection per batch the
 * same for the small batches of a steady stream of comments.
 * The claim is owned by a token (a sender whose lease ran out changes nothing) and renewed while
 * the batch is in flight; each message is marked SENT as soon as the server accepted it. A message
 * is sent at least once: if this instance dies after the SMTP server took a message but before its
 * mark, the lease runs out and that one message (one per sender thread) is sent again with the
 * same derived Message-ID, so the resend is recognisable.
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
    private final Semaphore directReplyWakeUps = new Semaphore(0);
    private final Counter sent;
    private final Counter retried;
    private final Counter failed;
    private final Counter rejected;
    private final Counter suppressed;
    private final Counter capped;
    private final Counter held;
    private final Counter suppressedByBounces;
    private final Counter unmarked;
    private final Counter markRetries;
    private final MeterRegistry meters;
    private final Counter sentWithoutClaim;
    private final org.replyensemble.notifications.erasure.Erasures erasures;
    private final Map<UUID, Claim> inFlight = new ConcurrentHashMap<>();

    private volatile boolean running;
    private final List<Thread> workers = new ArrayList<>();

    DeliverySender(Deliveries deliveries, AddressBook addresses, EmailComposer composer, JavaMailSender mailSender,
            DeliveryProperties properties, MeterRegistry meters, org.replyensemble.notifications.erasure.Erasures erasures) {
        this.erasures = erasures;
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
        this.unmarked = Counter.builder("notifications.deliveries.unmarked")
                .description("Emails the mail server accepted that could not be marked SENT (database error): sent again after the lease")
                .register(meters);
        this.meters = meters;
        this.markRetries = Counter.builder("notifications.deliveries.mark_retries")
                .description("SENT marks tried again after a database error").register(meters);
        this.sentWithoutClaim = Counter.builder("notifications.deliveries.sent_without_claim")
                .description("Emails sent by a sender whose claim had run out (a stalled process): possibly sent twice")
                .register(meters);
        Gauge.builder("notifications.deliveries.pending", this, DeliverySender::pendingOrNaN)
                .description("Deliveries waiting to be sent (due now or later)")
                .register(meters);
    }

    private static Counter emails(MeterRegistry meters, String outcome) {
        return Counter.builder("notifications.emails").description("Emails (replies and confirmations) by outcome")
                .tag("outcome", outcome).register(meters);
    }

    /**
     * Wakes as many senders as the rows fill batches, and the direct-reply lane only for a direct
     * reply: a sender woken for nothing costs up to three empty claims. Waking both senders and the
     * lane at every commit cost 3.4-3.5 statements per comment more at 50 comments/s (25.4-25.5
     * against 22.0 in the notifications database, docs/benchmark.md, 2026-12-06 evening). A sender
     * that claims a full batch wakes another (see {@link #sendBatch}), so a fan-out larger than one
     * batch still keeps all of them busy.
     */
    @TransactionalEventListener
    void onDeliveriesRecorded(DeliveriesRecorded recorded) {
        wake(wakeUps, Math.min(properties.senders(), (recorded.dueNow() + properties.batchSize() - 1) / properties.batchSize()));
        if (recorded.directReplies()) {
            wake(directReplyWakeUps, 1);
        }
    }

    @TransactionalEventListener
    void onDeliveriesReleased(DeliveriesReleased released) {
        wakeUp();
    }

    /** Wakes every sender and the direct-reply lane (rows released or put back in line, counted nowhere). */
    void wakeUp() {
        wake(wakeUps, properties.senders());
        wake(directReplyWakeUps, 1);
    }

    /** Permits up to {@code wanted}, not beyond: a permit no sender has taken yet already wakes one. */
    private static void wake(Semaphore senders, int wanted) {
        int missing = wanted - senders.availablePermits();
        if (missing > 0) {
            senders.release(missing);
        }
    }

    /**
     * Sends every due delivery now, on the caller's thread; returns how many were handled.
     *
     * @param directRepliesOnly the direct-reply lane: claims nothing else
     * @param connection        the thread's SMTP connection, null for a sender that is not Spring's SMTP one
     */
    private int sendDue(boolean directRepliesOnly, SmtpConnection connection) {
        int total = 0;
        int handled;
        do {
            handled = sendBatch(directRepliesOnly, connection);
            total += handled;
        } while (handled == properties.batchSize() && running);
        return total;
    }

    private int sendBatch(boolean directRepliesOnly, SmtpConnection connection) {
        Claim claim = new Claim(UUID.randomUUID(), System.nanoTime() + properties.claimLease().toNanos());
        inFlight.put(claim.token, claim);
        try {
            return sendBatch(claim, directRepliesOnly, connection);
        } finally {
            inFlight.remove(claim.token);
        }
    }

    private int sendBatch(Claim claim, boolean directRepliesOnly, SmtpConnection connection) {
        List<Long> claimed = directRepliesOnly
                ? deliveries.claimDirectReplies(properties.batchSize(), properties.claimLease(), claim.token)
                : deliveries.claimDue(properties.batchSize(), properties.claimLease(), claim.token);
        if (claimed.isEmpty()) {
            return 0;
        }
        if (claimed.size() == properties.batchSize() && !directRepliesOnly) {
            // Perhaps more due: another sender takes the next batch while this one sends.
            wake(wakeUps, 1);
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        // A comment deleted or hidden since its fan-out mails nobody: the load cancels its deliveries.
        Deliveries.Batch batch = deliveries.load(claimed, claim.token);
        batch.cancelled().forEach(withdrawn -> Threads.cancelledCounter(meters, withdrawn.getValue()).increment());
        List<OutgoingEmail> loaded = batch.emails();
        if (loaded.isEmpty()) {
            return claimed.size();
        }
        List<OutgoingEmail> toSend = new ArrayList<>();
        Map<String, List<Long>> unsent = new LinkedHashMap<>();
        // The suppression list of erased people, checked last: a delivery written by a fan-out that
        // read the address just before its erasure committed is deleted here, never sent.
        java.util.Set<String> erased = erasures.erasedAmong(loaded.stream().map(OutgoingEmail::recipientEmail).toList());
        if (!erased.isEmpty()) {
            erasures.dropDeliveries(loaded.stream().filter(o -> erased.contains(o.recipientEmail())).map(OutgoingEmail::deliveryId).toList());
            loaded = loaded.stream().filter(o -> !erased.contains(o.recipientEmail())).toList();
        }
        for (OutgoingEmail outgoing : loaded) {
            // Checked again here: the owner may have chosen otherwise since the fan-out.
            SendPolicy.Decision decision = SendPolicy.decide(outgoing);
            if (decision instanceof SendPolicy.Suppress suppress) {
                unsent.computeIfAbsent(suppress.reason(), r -> new ArrayList<>()).add(outgoing.deliveryId());
            } else if (decision instanceof SendPolicy.Hold hold) {
                deliveries.hold(outgoing.deliveryId(), claim.token, outgoing.recipientEmail(), hold.reason());
                held.increment();
            } else {
                toSend.add(outgoing);
            }
        }
        unsent.forEach((reason, ids) -> {
            deliveries.markUnsent(ids, claim.token, DeliveryStatus.SUPPRESSED, reason);
            suppressed.increment(ids.size());
        });
        List<OutgoingEmail> withinCap = withinDailyCap(toSend, claim.token, today);
        Session session = session();
        Map<MimeMessage, OutgoingEmail> messages = new LinkedHashMap<>();
        for (OutgoingEmail outgoing : withinCap) {
            try {
                messages.put(outgoing.isConfirmation() ? composer.compose(outgoing.confirmation(), session)
                        : outgoing.isSummary() ? composer.compose(outgoing.summary(), session)
                        : composer.compose(outgoing.reply(), session), outgoing);
            } catch (Exception e) {
                attemptFailed(outgoing, claim.token, e, today);
            }
        }
        if (!messages.isEmpty() && !send(messages, claim, today, connection)) {
            // Cut short (the lease could not be renewed, or a SENT mark failed): what was not sent is
            // due again at once; if the database is away, it comes back after the lease instead.
            deliveries.release(claim.token);
        }
        return claimed.size();
    }

    /**
     * The per-recipient daily cap, enforced here because only the sender knows what is really sent:
     * the batch's reply emails are counted per recipient in one statement, and those past the cap
     * are SKIPPED with the reason. A delivery is counted once (its retries are not counted again).
     */
    private List<OutgoingEmail> withinDailyCap(List<OutgoingEmail> toSend, UUID token, LocalDate today) {
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
            deliveries.markUnsent(skipped, token, DeliveryStatus.SKIPPED,
                    "daily cap of " + properties.dailyCap() + " emails to this recipient reached");
            capped.increment(skipped.size());
        }
        return within;
    }

    /**
     * Sends the batch over the thread's SMTP connection and marks each message SENT as soon as the
     * server accepted it, so a crash repeats at most the one message between acceptance and mark,
     * per sender thread. Hand-written because {@link JavaMailSender#send(MimeMessage...)} reports
     * only after the whole batch, opens a connection per call and asks the server (NOOP) before every
     * message whether the connection still works; here that is asked once per batch, and after a
     * failed message (see {@link SmtpConnection}). Otherwise it follows Spring's loop
     * (JavaMailSenderImpl.doSend): reconnect when the connection dropped, the derived Message-ID
     * kept. Before each message the claim must have at least half its lease left, so a message is
     * never sent after another sender could have claimed it. Returns false when the batch was cut short.
     */
    private boolean send(Map<MimeMessage, OutgoingEmail> messages, Claim claim, LocalDate today, SmtpConnection connection) {
        if (connection == null) {
            return sendOneByOne(messages, claim, today);
        }
        List<Map.Entry<MimeMessage, OutgoingEmail>> entries = new ArrayList<>(messages.entrySet());
        for (int i = 0; i < entries.size(); i++) {
            OutgoingEmail outgoing = entries.get(i).getValue();
            if (!claim.safeToSend(properties.claimLease())) {
                log.warn("Claim {} could not be renewed in time; {} deliveries given back unsent", claim.token,
                        entries.size() - i);
                return false;
            }
            Transport transport;
            try {
                transport = i == 0 ? connection.forBatch() : connection.current();
            } catch (Exception e) {
                // Like JavaMailSenderImpl: no connection, so every remaining message failed this attempt.
                for (int j = i; j < entries.size(); j++) {
                    attemptFailed(entries.get(j).getValue(), claim.token, e, today);
                }
                return true;
            }
            try {
                transfer(transport, entries.get(i).getKey());
            } catch (Exception e) {
                attemptFailed(outgoing, claim.token, e, today);
                connection.afterFailure();
                continue;
            }
            if (!markSent(outgoing, claim, today)) {
                return false;
            }
        }
        return true;
    }

    /** For a JavaMailSender that is not Spring's SMTP one (none in production): a conversation per message. */
    private boolean sendOneByOne(Map<MimeMessage, OutgoingEmail> messages, Claim claim, LocalDate today) {
        for (Map.Entry<MimeMessage, OutgoingEmail> entry : messages.entrySet()) {
            if (!claim.safeToSend(properties.claimLease())) {
                return false;
            }
            try {
                mailSender.send(entry.getKey());
            } catch (MailException e) {
                attemptFailed(entry.getValue(), claim.token, e, today);
                continue;
            }
            if (!markSent(entry.getValue(), claim, today)) {
                return false;
            }
        }
        return true;
    }

    private static void transfer(Transport transport, MimeMessage message) throws MessagingException {
        if (message.getSentDate() == null) {
            message.setSentDate(new Date());
        }
        String messageId = message.getMessageID();
        message.saveChanges();
        if (messageId != null) {
            message.setHeader("Message-ID", messageId);
        }
        Address[] recipients = message.getAllRecipients();
        transport.sendMessage(message, recipients != null ? recipients : new Address[0]);
    }

    /**
     * Records an accepted message as SENT. A database error here is retried, with pauses, while the
     * claim still holds (the lease keeper renews it when the database answers): if the database
     * comes back in time nothing is sent twice; if not, this one message is sent again after the
     * lease (counted in notifications.deliveries.unmarked), and the batch stops so no second
     * accepted message waits unmarked. Returns false when the batch must stop.
     */
    private boolean markSent(OutgoingEmail outgoing, Claim claim, LocalDate today) {
        long pauseMillis = 50;
        while (true) {
            try {
                if (deliveries.markSent(outgoing.deliveryId(), claim.token, today)) {
                    sent.increment();
                    if (outgoing.recipient().hardBounces() > 0) {
                        addresses.clearHardBounces(List.of(outgoing.recipientEmail()));
                    }
                } else {
                    // Only after a lease ran out unrenewed (a stalled process): another sender owns it now.
                    sentWithoutClaim.increment();
                    log.warn("Delivery {} was sent after its claim was lost; the other sender may send it too",
                            outgoing.deliveryId());
                }
                return true;
            } catch (DataAccessException e) {
                markRetries.increment();
                if (!running || claim.remainingNanos() < TimeUnit.MILLISECONDS.toNanos(pauseMillis) * 2) {
                    unmarked.increment();
                    log.warn("Delivery {} was accepted by the mail server but could not be marked SENT ({}); it will be "
                            + "sent again after its claim's lease", outgoing.deliveryId(), e.getMostSpecificCause().toString());
                    return false;
                }
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    unmarked.increment();
                    return false;
                }
                pauseMillis = Math.min(pauseMillis * 2, 1000);
            }
        }
    }

    private void attemptFailed(OutgoingEmail outgoing, UUID token, Exception e, LocalDate today) {
        int failedAttempts = outgoing.attempts() + 1;
        String error = describe(e);
        LocalDate countedOn = outgoing.countsTowardsCap() ? today : null;
        SmtpFailures.Kind kind = SmtpFailures.classify(e);
        if (kind != SmtpFailures.Kind.TRANSIENT) {
            // A permanent rejection is not retried: the next attempt would get the same answer.
            if (!deliveries.markRejected(outgoing.deliveryId(), token, error, kind == SmtpFailures.Kind.PERMANENT_RECIPIENT
                    ? "the recipient's mail server rejected the address (hard bounce)"
                    : "the recipient's mail server rejected the message", countedOn)) {
                return;
            }
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
        Optional<DeliveryStatus> status = deliveries.markAttemptFailed(outgoing.deliveryId(), token, error,
                properties.backoffAfter(failedAttempts), properties.maxAttempts(), properties.maxAge(), countedOn);
        if (status.isEmpty()) {
            return; // no longer this sender's claim: its new owner decides
        }
        if (status.get() == DeliveryStatus.FAILED) {
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

    /**
     * Renews the lease of every claim in flight in this instance, one statement for all of them,
     * every third of the lease: a batch may take as long as it needs (a slow SMTP server), while a
     * dead instance's claims come back one lease after its last renewal.
     */
    private void keepLeases() {
        while (running) {
            try {
                Thread.sleep(properties.leaseRenewal().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            List<Claim> claims = List.copyOf(inFlight.values());
            if (claims.isEmpty()) {
                continue;
            }
            long before = System.nanoTime();
            try {
                deliveries.renew(claims.stream().map(c -> c.token).toList(), properties.claimLease());
                claims.forEach(c -> c.renewedAt(before, properties.claimLease()));
            } catch (RuntimeException e) {
                log.warn("Renewing {} claims failed; their senders stop before the leases run out: {}", claims.size(),
                        e.toString());
            }
        }
    }

    /** A batch's claim: its token, and when its lease ends as far as this instance knows (monotonic clock). */
    private static final class Claim {

        private final UUID token;
        private volatile long leaseEndNanos;

        Claim(UUID token, long leaseEndNanos) {
            this.token = token;
            this.leaseEndNanos = leaseEndNanos;
        }

        void renewedAt(long startedNanos, Duration lease) {
            leaseEndNanos = Math.max(leaseEndNanos, startedNanos + lease.toNanos());
        }

        long remainingNanos() {
            return leaseEndNanos - System.nanoTime();
        }

        /** At least half the lease left: time for one message even if the renewals stop now. */
        boolean safeToSend(Duration lease) {
            return remainingNanos() > lease.toNanos() / 2;
        }
    }

    private void run(boolean directRepliesOnly) {
        Semaphore wakeUp = directRepliesOnly ? directReplyWakeUps : wakeUps;
        try (SmtpConnection connection = mailSender instanceof JavaMailSenderImpl smtp ? new SmtpConnection(smtp) : null) {
            while (running) {
                try {
                    sendDue(directRepliesOnly, connection);
                } catch (RuntimeException e) {
                    // Usually the database; the claimed rows come back after their lease.
                    log.warn("Sending deliveries failed, will try again: {}", e.toString());
                }
                boolean wokenUp;
                try {
                    wokenUp = wakeUp.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (!wokenUp && connection != null) {
                    // Nothing recorded for a poll interval: no connection is held open while there is no mail.
                    connection.close();
                }
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
            Thread worker = new Thread(() -> run(false), "delivery-sender-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        // A lane of its own for direct replies: the senders claim them first too, but a direct reply
        // recorded while both hold a batch of a hot thread's updates (50 emails each) would wait for one
        // to end; this thread claims nothing else, so it is idle and sends it at once.
        Thread directReplies = new Thread(() -> run(true), "delivery-sender-direct-replies");
        directReplies.setDaemon(true);
        workers.add(directReplies);
        directReplies.start();
        Thread leaseKeeper = new Thread(this::keepLeases, "delivery-lease-keeper");
        leaseKeeper.setDaemon(true);
        workers.add(leaseKeeper);
        leaseKeeper.start();
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
