package org.replyensemble.bench.scenarios;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.replyensemble.bench.ensemble.Ensemble;
import org.replyensemble.bench.ensemble.EnsembleApi;
import org.replyensemble.bench.ensemble.ProcessCpu;
import org.replyensemble.bench.ensemble.StatementCosts;
import org.replyensemble.bench.ensemble.ThreadCpu;
import org.replyensemble.bench.load.HttpLoad;
import org.replyensemble.bench.load.Latencies;
import org.replyensemble.bench.report.Results.InboxRun;
import org.replyensemble.bench.sink.AcceptedMail;
import org.replyensemble.bench.sink.SmtpSink;

/**
 * Scenario 1, what a reader feels: comments at a fixed rate over the discussions, and for every
 * resulting email the time from its comment's HTTP 201 (as the load generator received it) to the
 * SMTP sink accepting it. Both clocks are this JVM's System.nanoTime().
 */
public final class CommentToInbox {

    private final Ensemble ensemble;
    private final EnsembleApi api;
    private final HttpLoad load;
    private final SmtpSink sink;
    private final Discussions discussions;

    public CommentToInbox(Ensemble ensemble, EnsembleApi api, HttpLoad load, SmtpSink sink, Discussions discussions) {
        this.ensemble = ensemble;
        this.api = api;
        this.load = load;
        this.sink = sink;
        this.discussions = discussions;
    }

    public InboxRun run(double rate, Duration duration, Duration drainTimeout) {
        Map<UUID, Long> createdAt = new ConcurrentHashMap<>();
        // only this run's comments count: a previous run's stragglers must not end the wait early
        MailCollector mail = new MailCollector(sink, m -> m.commentId() != null && createdAt.containsKey(m.commentId())).reset();
        Instant from = Instant.now();
        Map<String, Double> cpuBefore = ProcessCpu.sample(ensemble);
        Map<String, Map<String, ThreadCpu.ThreadTimes>> threadsBefore = ThreadCpu.sample(ensemble);
        StatementCosts.reset(ensemble);
        long start = System.nanoTime();
        HttpLoad.Result result = load.fixedRate(rate, duration,
                i -> api.commentRequest(discussions.thread(i).postId(), discussions.author(i), "Reply " + i + " of the benchmark."),
                201, (i, response, nanos) -> createdAt.put(EnsembleApi.parseComment(response.body()).id(), nanos));
        long loadEnd = System.nanoTime();
        Instant to = Instant.now();
        long expected = result.ok() * discussions.emailsPerComment();
        long deliveredAtEnd = mail.collect();
        mail.awaitCount(expected, drainTimeout);
        Map<String, Double> cpu = ProcessCpu.used(cpuBefore, ProcessCpu.sample(ensemble));
        List<ThreadCpu.Group> threadCpu = ThreadCpu.used(threadsBefore, ThreadCpu.sample(ensemble));
        double cpuWindow = (System.nanoTime() - start) / 1e9;
        List<StatementCosts.Cost> statements = StatementCosts.top(ensemble);
        List<StatementCosts.DatabaseCalls> statementsByDatabase = StatementCosts.byDatabase(ensemble);

        Latencies inbox = new Latencies();
        long delivered = 0;
        long last = start;
        for (AcceptedMail accepted : mail.collected()) {
            Long created = createdAt.get(accepted.commentId());
            if (created != null) {
                delivered++;
                inbox.recordNanos(accepted.acceptedNanos() - created);
                last = Math.max(last, accepted.acceptedNanos());
            }
        }
        double emailSeconds = (last - start) / 1e9;
        return new InboxRun(rate, result.seconds(), result.ok(), result.failed(), result.okPerSecond(), result.latency(),
                expected, delivered, emailSeconds > 0 ? delivered / emailSeconds : 0,
                Math.max(0, expected - deliveredAtEnd), Math.max(0, (last - loadEnd) / 1e9), inbox.summary(),
                Stages.between(ensemble, from, to), cpu, cpuWindow, threadCpu, statements, statementsByDatabase);
    }
}
