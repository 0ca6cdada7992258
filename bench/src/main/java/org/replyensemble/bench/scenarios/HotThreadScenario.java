package org.replyensemble.bench.scenarios;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.replyensemble.bench.ensemble.ConsumerLag;
import org.replyensemble.bench.ensemble.Ensemble;
import org.replyensemble.bench.ensemble.EnsembleApi;
import org.replyensemble.bench.ensemble.EnsembleApi.Person;
import org.replyensemble.bench.ensemble.HeapSampler;
import org.replyensemble.bench.load.HttpLoad;
import org.replyensemble.bench.load.Latencies;
import org.replyensemble.bench.report.Results.HotThreadRun;

/**
 * A viral thread with flood control on (issue 9, item 3): one thread with N confirmed participants,
 * seeded straight into the databases as {@link FanOutScenario} does, receiving comments at a fixed
 * rate (open loop), one in {@code directReplyEvery} a direct reply to one of {@link #TARGETS} sampled
 * participants (each of whom first wrote one real comment through the REST API, the parent of the
 * replies to them). The other comments come from {@link #WRITERS} confirmed writers who ask for no
 * email ({@code notify: false}), so the thread's recipients stay the N participants and the post's author.
 *
 * <p>The figures come from notification-service's delivery log once nothing of the thread is PENDING any
 * more (the last summaries go when their windows close): SENT emails per participant, summaries, the
 * comments they carried (folded), and each direct reply's latency from its 201 to its DIRECT_REPLY delivery's SENT mark (the
 * sink accepted the message just before; both clocks are this machine's). The thread stage's lag
 * (notification-service's consumer lag) is sampled every second during the load; the heap during the
 * load and until the thread settled.
 */
public final class HotThreadScenario {

    static final int TARGETS = 20;
    static final int WRITERS = 20;
    /**
     * The quiet thread's replies per round: with 100 its p99 is its second slowest reply, where the 10
     * measured until 2026-12-07 made it the slowest of 10 (closer to a p90). About 10 s a round.
     */
    static final int QUIET_REPLIES = 100;

    private final Ensemble ensemble;
    private final EnsembleApi api;
    private final HttpLoad load;
    private final ConsumerLag lag;
    private final String group;

    public HotThreadScenario(Ensemble ensemble, EnsembleApi api, HttpLoad load, ConsumerLag lag, String group) {
        this.ensemble = ensemble;
        this.api = api;
        this.load = load;
        this.lag = lag;
        this.group = group;
    }

    /**
     * @param window           the flood-control window the ensemble runs with (for the report and the bound)
     * @param updatesPerWindow the flood-control updates per window the ensemble runs with
     * @param directReplyEvery one comment in this many is a direct reply to a sampled participant
     */
    public HotThreadRun run(int participants, double rate, Duration duration, Duration window, int updatesPerWindow,
            int directReplyEvery) {
        List<Double> quiet = quietDirectReplies(QUIET_REPLIES);
        Person author = new Person("Hot author", "hot-author@bench.test");
        UUID postId = api.createPost("A hot thread of " + participants, author);
        try (Connection notifications = ensemble.database("notifications");
             Connection comments = ensemble.database("comments")) {
            Sql.await(notifications, Duration.ofSeconds(60), 1, "select count(*) from thread where post_id = ?", postId);
            Sql.await(comments, Duration.ofSeconds(60), 1, "select count(*) from post_replica where id = ?", postId);
            seed(notifications, comments, postId, participants);

            // The direct-reply targets write their own comment first (through the REST API: a reply needs a
            // parent comment-service knows); those are the thread's first updates of everyone's window.
            UUID[] targets = new UUID[TARGETS];
            for (int k = 0; k < TARGETS; k++) {
                int g = 1 + k * (participants / TARGETS);
                targets[k] = api.comment(postId, new Person("Reader " + g, "hot-" + g + "@bench.test"),
                        "A comment to reply to, " + k + ".").id();
            }
            Sql.await(notifications, Duration.ofMinutes(5), participants + TARGETS,
                    "select fanned_out_position from thread where post_id = ?", postId);
            Person[] writers = new Person[WRITERS];
            for (int w = 0; w < WRITERS; w++) {
                writers[w] = new Person("Hot writer " + w, "hot-writer-" + w + "@bench.test");
                api.confirm(writers[w]);
            }

            Map<UUID, Long> directReplyCreated = new ConcurrentHashMap<>(); // comment id -> 201 (epoch millis)
            List<long[]> lagSamples = new ArrayList<>();
            double heapMax = api.notificationMetric("jvm.memory.max", "area:heap") / (1024 * 1024);
            long loadStart = System.nanoTime();
            long loadStartMillis = System.currentTimeMillis();
            HttpLoad.Result result;
            long lagAtEnd;
            double drain;
            double settledSeconds;
            boolean settled;
            double heapPeak;
            // every 500 ms from the start: 10 polls a second through notification-service's web stack would
            // weigh on the load's first seconds, where the direct replies' tail is (docs/benchmark.md)
            try (HeapSampler heap = new HeapSampler(api, false)) {
                Thread sampler = lag.sampleEverySecond(group, lagSamples, loadStart, "hot-thread-lag-sampler");
                result = load.fixedRate(rate, duration, i -> {
                    Person writer = writers[(int) (i % WRITERS)];
                    boolean direct = i % directReplyEvery == 0;
                    UUID parent = direct ? targets[(int) (i / directReplyEvery % TARGETS)] : null;
                    return api.replyRequest(postId, parent, writer, "Hot comment " + i + ".", false);
                }, 201, (i, response, nanos) -> {
                    if (i % directReplyEvery == 0) {
                        directReplyCreated.put(EnsembleApi.parseComment(response.body()).id(), System.currentTimeMillis());
                    }
                });
                sampler.interrupt();
                sampler.join();
                lagAtEnd = lag.of(group);
                drain = lag.awaitCaughtUp(group, Duration.ofMinutes(10));
                // the last summaries go when their windows close: wait for them, with room for the sender
                long deadline = System.nanoTime() + window.plus(Duration.ofMinutes(5)).toNanos();
                while (!(settled = Sql.number(notifications,
                        "select count(*) from delivery where post_id = ? and status = 'PENDING'", postId) == 0)
                        && System.nanoTime() < deadline) {
                    EnsembleApi.pause(500);
                }
                settledSeconds = (System.nanoTime() - loadStart) / 1e9 - result.seconds();
                heapPeak = heap.peakMegabytes();
            }

            Latencies directMs = new Latencies();
            Latencies directRecordedMs = new Latencies(); // 201 -> the delivery row written (the thread stage's part)
            long directSent = 0;
            List<double[]> replies = new ArrayList<>(); // {seconds into the load, ms to recorded, ms to SENT, ms to relayed}
            Map<double[], UUID> replyIds = new java.util.IdentityHashMap<>();
            try (PreparedStatement query = notifications.prepareStatement("""
                    select comment_id, extract(epoch from sent_at) * 1000, extract(epoch from created_at) * 1000 from delivery
                     where post_id = ? and reason = 'DIRECT_REPLY' and status = 'SENT'""")) {
                query.setObject(1, postId);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        Long created = directReplyCreated.get(rows.getObject(1, UUID.class));
                        if (created != null) {
                            directSent++;
                            directMs.recordNanos(Math.round((rows.getDouble(2) - created) * 1_000_000));
                            directRecordedMs.recordNanos(Math.max(0, Math.round((rows.getDouble(3) - created) * 1_000_000)));
                            double[] reply = {(created - loadStartMillis) / 1000.0, rows.getDouble(3) - created,
                                    rows.getDouble(2) - created, Double.NaN};
                            replies.add(reply);
                            replyIds.put(reply, rows.getObject(1, UUID.class));
                        }
                    }
                }
            }

            // SENT emails per seeded participant (those who got none count as 0), what part were direct
            // replies and summaries; the bound: the direct replies to them plus, per window the run spanned,
            // the updates mailed at once and one summary.
            long windows = (long) Math.floor(result.seconds() / window.toSeconds()) + 2; // + the targets' window, + a partial one
            long[] perParticipant = new long[participants];
            long directToOneMax = 0;
            long summariesToOneMax = 0;
            long overBound = 0;
            int i = 0;
            try (PreparedStatement query = notifications.prepareStatement("""
                    select count(*) filter (where status = 'SENT'),
                           count(*) filter (where status = 'SENT' and reason = 'DIRECT_REPLY'),
                           count(*) filter (where status = 'SENT' and reason = 'SUMMARY')
                      from delivery where post_id = ? and recipient_email like 'hot-%' and recipient_email not like 'hot-writer-%'
                       and recipient_email <> 'hot-author@bench.test'
                     group by recipient_email""")) {
                query.setObject(1, postId);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next() && i < participants) {
                        long sent = rows.getLong(1);
                        long direct = rows.getLong(2);
                        long summaries = rows.getLong(3);
                        perParticipant[i++] = sent;
                        directToOneMax = Math.max(directToOneMax, direct);
                        summariesToOneMax = Math.max(summariesToOneMax, summaries);
                        if (sent - direct > windows * (updatesPerWindow + 1L)) {
                            overBound++;
                        }
                    }
                }
            }
            Arrays.sort(perParticipant);
            long emailsSent = Sql.number(notifications, "select count(*) from delivery where post_id = ? and status = 'SENT'", postId);
            long summaries = Sql.number(notifications,
                    "select count(*) from delivery where post_id = ? and status = 'SENT' and reason = 'SUMMARY'", postId);
            // Comments the SENT summaries carried, derived as notification-service derives them (CarriedComments):
            // since V9 a folded comment has no delivery row of its own.
            long folded = Sql.number(notifications, """
                    select count(*) from delivery s
                      join thread t on t.post_id = s.post_id
                      join thread_comment c on c.post_id = s.post_id and c.position >= s.summary_from_position
                           and c.position <= least(coalesce(s.summary_until_position, 2147483647),
                                                   coalesce(s.summary_through_position, t.fanned_out_position))
                      left join thread_comment parent on parent.comment_id = c.parent_id and parent.post_id = c.post_id
                     where s.post_id = ? and s.reason = 'SUMMARY' and s.status = 'SENT'
                       and c.author_email <> s.recipient_email and parent.author_email is distinct from s.recipient_email
                       and c.deleted_at is null and c.hidden_at is null
                       and not exists (select 1 from thread_gap g where g.post_id = c.post_id and g.position = c.position)
                    """, postId);
            long lagPeak;
            synchronized (lagSamples) {
                lagPeak = lagSamples.stream().mapToLong(s -> s[1]).max().orElse(0);
            }
            List<Double> directEachMs = replies.stream().sorted((a, b) -> Double.compare(a[0], b[0])).map(d -> d[2]).toList();
            return new HotThreadRun(participants, rate, result.seconds(), result.ok(), result.failed(), directReplyEvery,
                    directReplyCreated.size(), directSent, directMs.summary(), directRecordedMs.summary(),
                    Latencies.ofMillis(quiet),
                    window.toSeconds() + " s", updatesPerWindow, emailsSent,
                    summaries, folded, perParticipant[participants - 1],
                    perParticipant[Math.min(participants - 1, (int) Math.ceil(participants * 0.99) - 1)], directToOneMax,
                    summariesToOneMax, overBound, heapPeak, heapMax, lagPeak, lagAtEnd, drain, settledSeconds, settled,
                    replies.stream().sorted((a, b) -> Double.compare(b[2], a[2])).limit(5)
                            .peek(d -> d[3] = relayedAfter(comments, replyIds.get(d), d))
                            .map(d -> String.format("%.1f s: %.0f / %.0f / %.0f", d[0], d[3], d[1], d[2]))
                            .collect(Collectors.joining(", ")),
                    Instant.ofEpochMilli(loadStartMillis).toString(), directEachMs, quiet);
        } catch (SQLException e) {
            throw new IllegalStateException("the hot-thread scenario failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * When comment-service's outbox relay took the reply's event (its round's start, which stamps
     * published_at), in ms after the 201: what of a slow reply's time was spent before Kafka.
     */
    private static double relayedAfter(Connection comments, UUID commentId, double[] reply) {
        try (PreparedStatement query = comments.prepareStatement("""
                select extract(epoch from published_at) * 1000 - extract(epoch from created_at) * 1000 from outbox_message
                 where payload like ? order by id limit 1""")) {
            query.setString(1, "%\"id\":\"" + commentId + "\"%");
            try (ResultSet rows = query.executeQuery()) {
                // created_at is the comment's own transaction (just before its 201): close enough for seconds
                return rows.next() ? rows.getDouble(1) : Double.NaN;
            }
        } catch (SQLException e) {
            return Double.NaN;
        }
    }

    /**
     * The same figure on a quiet thread (issue 9's target: the hot thread's direct-reply p99 within 2x of
     * it): a thread of one participant, whose comment gets {@code replies} direct replies one at a time
     * (after one not counted: in a fresh ensemble the first took a second in a quick run, 70 ms the next),
     * each awaited until its DIRECT_REPLY delivery is SENT; their latencies in ms, in order.
     */
    private List<Double> quietDirectReplies(int replies) {
        Person author = new Person("Quiet author", "hot-quiet-author@bench.test");
        Person reader = new Person("Quiet reader", "hot-quiet-reader@bench.test");
        Person writer = new Person("Quiet writer", "hot-quiet-writer@bench.test");
        api.confirm(reader);
        api.confirm(writer);
        UUID postId = api.createPost("A quiet thread", author);
        UUID parent = api.comment(postId, reader, "A comment to reply to.").id();
        List<Double> latencies = new ArrayList<>();
        try (Connection notifications = ensemble.database("notifications")) {
            for (int i = 0; i <= replies; i++) { // the first is a warm-up (the services' first direct reply), not counted
                long[] created = new long[1]; // the 201, as for the hot thread's replies
                HttpLoad.Result one = load.fixedRate(1, Duration.ofSeconds(1),
                        n -> api.replyRequest(postId, parent, writer, "A quiet reply.", false), 201,
                        (n, r, nanos) -> created[0] = System.currentTimeMillis());
                if (one.ok() != 1) {
                    throw new IllegalStateException("a quiet reply was not answered 201");
                }
                Sql.await(notifications, Duration.ofSeconds(60), i + 1, """
                        select count(*) from delivery where post_id = ? and reason = 'DIRECT_REPLY' and status = 'SENT'""",
                        postId);
                double sentAt = Sql.number(notifications, """
                        select max(extract(epoch from sent_at) * 1000)::bigint from delivery
                         where post_id = ? and reason = 'DIRECT_REPLY' and status = 'SENT'""", postId);
                if (i > 0) {
                    latencies.add(sentAt - created[0]);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the quiet thread failed", e);
        }
        return latencies;
    }

    /** N confirmed participants, one comment each, fanned out already (FanOutScenario's seeding, 'hot-g' addresses). */
    private static void seed(Connection notifications, Connection comments, UUID postId, int participants) {
        String address = "'hot-' || g || '@bench.test'";
        Sql.update(notifications, """
                insert into thread_comment (comment_id, post_id, position, parent_id, author_name, author_email,
                                            notify, excerpt, created_at)
                select gen_random_uuid(), ?, g, null, 'Reader ' || g, %s, true, 'An earlier comment.', now()
                  from generate_series(1, ?) g""".formatted(address), postId, participants);
        Sql.update(notifications, "insert into mailbox (mailbox) select %s from generate_series(1, ?) g on conflict do nothing"
                .formatted(address), participants);
        Sql.update(notifications, """
                insert into address (email, mailbox, greeting_name, confirmed_at, confirmed_by)
                select %s, %s, 'Reader ' || g, now(), 'OPERATOR' from generate_series(1, ?) g
                on conflict do nothing""".formatted(address, address), participants);
        Sql.update(notifications, """
                insert into thread_participant (post_id, email, first_position, latest_position, subscribed)
                select ?, %s, g, g, true from generate_series(1, ?) g""".formatted(address), postId, participants);
        Sql.update(notifications, "update thread set fanned_out_position = ? where post_id = ?", participants, postId);
        Sql.update(comments, "update post_replica set comment_count = ? where id = ?", participants, postId);
        Sql.update(notifications, "analyze thread_comment");
        Sql.update(notifications, "analyze thread_participant");
        Sql.update(notifications, "analyze address");
    }
}
