package org.replyensemble.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.replyensemble.bench.ensemble.ProcessCpu;
import org.replyensemble.bench.load.Latencies;
import org.replyensemble.bench.report.Results.FanOutRun;
import org.replyensemble.bench.report.Results.InboxRun;
import org.replyensemble.bench.report.Results.IntakeStep;
import org.replyensemble.bench.report.Results.Ratio;
import org.replyensemble.bench.report.Results.Report;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The run's report: report.json (every figure) and report.md (the tables, also printed to stdout). */
public final class ReportWriter {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ReportWriter() {
    }

    public static void write(Report report, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.json"), JSON.writeValueAsString(report));
        Files.writeString(dir.resolve("report.md"), markdown(report));
    }

    /** {@code ./bench/run --hot-thread}'s report: hot-thread.json (every round, each reply's latency) and hot-thread.md. */
    public static void writeHotThread(List<Results.HotThreadRun> rounds, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("hot-thread.json"), JSON.writeValueAsString(rounds));
        Files.writeString(dir.resolve("hot-thread.md"), hotThreadTable(rounds));
    }

    public static String markdown(Report r) {
        StringBuilder md = new StringBuilder();
        Results.Machine m = r.machine();
        md.append("# Benchmark run ").append(m.date()).append(r.quick() ? " (quick)" : "").append("\n\n");
        md.append("Machine: ").append(m.cores()).append(" cores (").append(m.cpu()).append("), ")
                .append(m.memoryMb()).append(" MB RAM, ").append(m.java()).append(", ").append(m.os())
                .append(". Load average before/after: ").append(m.loadAverageBefore()).append(" / ")
                .append(m.loadAverageAfter()).append(". ").append(m.contention()).append("\n");
        md.append("Services' JVM options: `").append(String.join(" ", r.serviceJvmOptions())).append("`\n\n");

        md.append("## Ratios to the raw limits (same run, same machine)\n\n");
        md.append("| figure | ours | raw limit | ratio | target |\n|---|---:|---:|---:|---|\n");
        for (Ratio ratio : r.ratios()) {
            md.append("| ").append(ratio.figure()).append(" | ").append(num(ratio.ours())).append(' ').append(ratio.unit())
                    .append(" | ").append(num(ratio.raw())).append(' ').append(ratio.unit())
                    .append(" | ").append(String.format(Locale.ROOT, "%.2fx", ratio.ratio()))
                    .append(" | ").append(ratio.target() == null ? "" : ratio.target()
                            + (ratio.met() == null ? "" : ratio.met() ? " **met**" : " **not met**"))
                    .append(" |\n");
        }

        md.append("\n## 1. Comment to inbox (201 of the comment -> SMTP sink accepts each email)\n\n");
        md.append(commentToInboxTables(r.commentToInbox()));

        var mail = r.mailThroughput();
        md.append("\n## 2. Mail throughput (a backlog of ").append(mail.emails()).append(" due deliveries)\n\n");
        md.append(mailThroughputTable(mail, r.raw().javaMailPerSecond()));

        md.append("\n## 3. Fan-out (one comment on a thread of N earlier participants; N + 1 emails)\n\n");
        md.append(fanOutTable(r.fanOut(), r.raw().javaMailPerSecond()));

        md.append("\n## 4. Comment intake (closed loop) beside the empty Spring MVC endpoint\n\n");
        md.append("| clients | comments/s | p50 ms | p99 ms | empty endpoint req/s | p50 ms | p99 ms |\n|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < r.commentIntake().size(); i++) {
            IntakeStep ours = r.commentIntake().get(i);
            IntakeStep raw = i < r.raw().emptyEndpoint().size() ? r.raw().emptyEndpoint().get(i) : null;
            md.append("| ").append(ours.clients()).append(" | ").append(num(ours.perSecond()))
                    .append(ours.failed() > 0 ? " (" + ours.failed() + " failed)" : "")
                    .append(" | ").append(num(ours.latency().p50())).append(" | ").append(num(ours.latency().p99()))
                    .append(" | ").append(raw == null ? "" : num(raw.perSecond()))
                    .append(" | ").append(raw == null ? "" : num(raw.latency().p50()))
                    .append(" | ").append(raw == null ? "" : num(raw.latency().p99())).append(" |\n");
        }

        Results.ThreadStageCatchUp catchUp = r.threadStageCatchUp();
        md.append("\nAfter the intake, notification-service was ").append(catchUp.backlog())
                .append(" comment events behind and caught up in ").append(num(catchUp.seconds())).append(" s: its thread stage consumes ")
                .append(num(catchUp.eventsPerSecond())).append(" comment events/s.\n");

        if (r.sustained() != null) {
            Results.SustainedRun run = r.sustained();
            md.append("\nSustained intake: ").append(num(run.targetRate())).append(" comments/s asked for ")
                    .append(num(run.seconds())).append(" s (open loop, no email), ").append(num(run.perSecond()))
                    .append(" answered 201/s (").append(run.failed()).append(" failed), p99 ").append(num(run.p99Ms()))
                    .append(" ms. Thread-stage lag: peak ").append(run.lagMax()).append(" events, growing ")
                    .append(num(run.lagGrowthPerSecond())).append(" events/s over the second half, ").append(run.lagAtEnd())
                    .append(" behind when the load stopped, drained ").append(num(run.drainSeconds())).append(" s later.\n");
        }

        if (r.threadLength() != null && !r.threadLength().isEmpty()) {
            md.append("\n").append(threadLengthTable(r.threadLength()));
        }

        if (r.hotThread() != null && !r.hotThread().isEmpty()) {
            md.append("\n## 7. Hot thread (flood control on)\n\n").append(hotThreadTable(r.hotThread()));
        }

        var raw = r.raw();
        md.append("\n## 5. Raw limits\n\n");
        md.append("| raw limit | figure |\n|---|---|\n");
        md.append("| Kafka EndToEndLatency (acks=all, 512 B, ").append(raw.kafkaEndToEnd().count()).append(" records) | p50 ")
                .append(num(raw.kafkaEndToEnd().p50Ms())).append(" ms, p99 ").append(num(raw.kafkaEndToEnd().p99Ms()))
                .append(" ms, p99.9 ").append(num(raw.kafkaEndToEnd().p999Ms())).append(" ms, avg ")
                .append(num(raw.kafkaEndToEnd().averageMs())).append(" ms (whole ms) |\n");
        md.append("| Kafka ProducerPerformance (acks=all, 512 B) | ").append(num(raw.kafkaProducer().recordsPerSecond()))
                .append(" records/s, p99 ").append(num(raw.kafkaProducer().p99Ms())).append(" ms |\n");
        md.append("| bare JavaMail loop, one connection | ").append(num(raw.javaMailPerSecond())).append(" messages/s |\n");
        md.append("| empty Spring MVC endpoint | see section 4 |\n");

        if (!r.threadPage().isEmpty()) {
            md.append("\n## 6. Thread page of a 10,000-comment thread (GET, one client, server render + transfer on loopback)\n\n");
            md.append(threadPageTable(r.threadPage()));
        }

        if (!r.notes().isEmpty()) {
            md.append("\n## Notes\n\n");
            r.notes().forEach(note -> md.append("- ").append(note).append('\n'));
        }
        return md.toString();
    }

    /** Scenario 1's two tables: what a reader feels, and where the time goes. */
    public static String commentToInboxTables(List<InboxRun> runs) {
        StringBuilder md = new StringBuilder();
        md.append("| target/s | achieved comments/s | HTTP p99 ms | emails | emails/s | inbox p50 ms | p95 | p99 | max"
                + " | backlog at end | drained after s |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (InboxRun run : runs) {
            Latencies.Summary l = run.inbox();
            md.append("| ").append(num(run.targetRate())).append(" | ").append(num(run.commentsPerSecond()))
                    .append(run.failed() > 0 ? " (" + run.failed() + " failed)" : "")
                    .append(" | ").append(num(run.http().p99()))
                    .append(" | ").append(run.emailsDelivered()).append('/').append(run.emailsExpected())
                    .append(" | ").append(num(run.emailsPerSecond()))
                    .append(" | ").append(num(l.p50())).append(" | ").append(num(l.p95())).append(" | ").append(num(l.p99()))
                    .append(" | ").append(num(l.max())).append(" | ").append(run.backlogAtEnd())
                    .append(" | ").append(num(run.drainSeconds())).append(" |\n");
        }

        md.append("\nWhere the time goes (p50 / p99 ms; from the services' own timestamps): relay = outbox row -> Kafka ack;"
                + " to thread stage = comment created -> notification-service's transaction began; to sent = -> marked SENT.\n\n");
        md.append("| target/s | relay | to thread stage | to sent |\n|---:|---:|---:|---:|\n");
        for (InboxRun run : runs) {
            Results.StageTimes s = run.stages();
            md.append("| ").append(num(run.targetRate())).append(" | ").append(num(s.relayP50())).append(" / ").append(num(s.relayP99()))
                    .append(" | ").append(num(s.toThreadStageP50())).append(" / ").append(num(s.toThreadStageP99()))
                    .append(" | ").append(num(s.toSentP50())).append(" / ").append(num(s.toSentP99())).append(" |\n");
        }

        md.append("\nCPU per comment, ms (each process's CPU time as the OS counts it, from the step's start to its last"
                + " email, divided by the comments; no profiler). Cores busy: all of them together over that time.\n\n");
        md.append("| target/s |");
        for (String part : ProcessCpu.PARTS) {
            md.append(' ').append(part).append(" |");
        }
        md.append(" cores busy |\n|---:|").append("---:|".repeat(ProcessCpu.PARTS.length + 1)).append('\n');
        for (InboxRun run : runs) {
            md.append("| ").append(num(run.targetRate())).append(" |");
            double total = 0;
            for (String part : ProcessCpu.PARTS) {
                double seconds = run.cpuSeconds().getOrDefault(part, Double.NaN);
                total += Double.isNaN(seconds) ? 0 : seconds;
                md.append(' ').append(num(seconds * 1000 / Math.max(1, run.comments()))).append(" |");
            }
            md.append(' ').append(num(total / run.cpuWindowSeconds())).append(" |\n");
        }
        for (InboxRun run : runs) {
            if (run.threadCpu().isEmpty()) {
                continue;
            }
            md.append("\nThe services' and the benchmark JVM's threads at ").append(num(run.targetRate()))
                    .append(" comments/s, ms per comment on a core / waiting for one (Linux schedstat, same window;")
                    .append(" threads of a kind summed, those under 0.05 ms left out):\n\n")
                    .append("| service | threads | on a core | waiting for a core |\n|---|---|---:|---:|\n");
            double perComment = 1000.0 / Math.max(1, run.comments());
            for (var group : run.threadCpu()) {
                if (group.cpuSeconds() * perComment >= 0.05) {
                    md.append("| ").append(group.service()).append(" | `").append(group.threads()).append("` | ")
                            .append(num(group.cpuSeconds() * perComment)).append(" | ").append(num(group.waitSeconds() * perComment))
                            .append(" |\n");
                }
            }
        }
        for (InboxRun run : runs) {
            if (run.statements().isEmpty()) {
                continue;
            }
            md.append("\nPostgreSQL statements per comment at ").append(num(run.targetRate())).append(" comments/s:");
            for (var database : run.statementsByDatabase()) {
                md.append(' ').append(database.database()).append(' ').append(num((double) database.calls() / Math.max(1, run.comments())))
                        .append(" (").append(num(database.totalMs() / Math.max(1, run.comments()))).append(" ms executing; ")
                        .append(num((double) database.plans() / Math.max(1, run.comments()))).append(" planned, ")
                        .append(num(database.planMs() / Math.max(1, run.comments()))).append(" ms planning; ")
                        .append(database.texts()).append(" distinct statements)");
            }
            md.append('\n');
            md.append("\nPostgreSQL's statements with the most time executing and planning at ").append(num(run.targetRate()))
                    .append(" comments/s (pg_stat_statements, BENCH_PG_STATEMENTS=true; share of all statements' time,"
                            + " planning included):\n\n")
                    .append("| database | calls | total ms | mean ms | rows | share | planned | planning ms | statement |\n"
                            + "|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (var cost : run.statements()) {
                md.append("| ").append(cost.database()).append(" | ").append(cost.calls()).append(" | ").append(num(cost.totalMs()))
                        .append(" | ").append(num(cost.meanMs())).append(" | ").append(cost.rows()).append(" | ")
                        .append(num(cost.share())).append("% | ").append(cost.plans()).append(" | ").append(num(cost.planMs()))
                        .append(" | `").append(cost.query().replace("|", "\\|").replace("`", "'"))
                        .append("` |\n");
            }
        }
        return md.toString();
    }

    public static String mailThroughputTable(Results.MailThroughput mail, double javaMailPerSecond) {
        return "| emails sent | seconds | emails/s | SMTP connections | bare JavaMail loop/s |\n|---:|---:|---:|---:|---:|\n"
                + "| " + mail.delivered() + '/' + mail.emails() + " | " + num(mail.seconds()) + " | " + num(mail.emailsPerSecond())
                + " | " + mail.smtpConnections() + " | " + num(javaMailPerSecond) + " |\n";
    }

    /**
     * The fan-outs; "sending emails/s" counts from the first email to the last, so it is the senders'
     * rate alone (the thread stage commits a comment's deliveries together, so sending starts once all
     * are recorded), comparable with the mail backlog's and the JavaMail loop's.
     */
    public static String fanOutTable(List<FanOutRun> runs, double javaMailPerSecond) {
        StringBuilder md = new StringBuilder();
        md.append("| N | emails | deliveries recorded s | first email s | last email s | emails/s | sending emails/s (first to last)"
                + " | sending / JavaMail loop | heap before MB | peak heap MB | max heap MB |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (FanOutRun run : runs) {
            double sending = run.lastEmailSeconds() > run.firstEmailSeconds()
                    ? (run.emailsDelivered() - 1) / (run.lastEmailSeconds() - run.firstEmailSeconds()) : Double.NaN;
            md.append("| ").append(run.participants()).append(" | ").append(run.emailsDelivered()).append('/').append(run.emailsExpected())
                    .append(run.completed() ? "" : " (timed out)")
                    .append(" | ").append(num(run.deliveriesRecordedSeconds())).append(" | ").append(num(run.firstEmailSeconds()))
                    .append(" | ").append(num(run.lastEmailSeconds())).append(" | ").append(num(run.emailsPerSecond()))
                    .append(" | ").append(num(sending)).append(" | ").append(num(sending / javaMailPerSecond)).append('x')
                    .append(" | ").append(num(run.heapBeforeMb())).append(" | ").append(num(run.peakHeapMb()))
                    .append(" | ").append(num(run.heapMaxMb())).append(" |\n");
        }
        return md.toString();
    }

    public static String threadLengthTable(List<Results.ThreadLengthRun> runs) {
        StringBuilder md = new StringBuilder();
        md.append("Thread-stage time per comment by the thread's length (comments one at a time, 3 participants):\n\n");
        md.append("| earlier comments | comments | thread stage per comment, ms (listener timer) | 201 -> recorded p50 ms | max ms |\n");
        md.append("|---:|---:|---:|---:|---:|\n");
        for (Results.ThreadLengthRun run : runs) {
            md.append("| ").append(run.earlierComments()).append(" | ").append(run.comments()).append(" | ")
                    .append(num(run.stageMsPerComment())).append(" | ").append(num(run.createdToRecordedP50Ms()))
                    .append(" | ").append(num(run.createdToRecordedMaxMs())).append(" |\n");
        }
        return md.toString();
    }

    /**
     * The hot thread's rounds side by side: the first in a freshly started ensemble, each later one in the
     * same ensemble once the round before it settled (its services warm, as a viral thread finds them).
     */
    public static String hotThreadTable(List<Results.HotThreadRun> rounds) {
        Results.HotThreadRun first = rounds.get(0);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "A thread of %,d participants, %s comments/s asked for %s s, 1 in %d a direct reply to a"
                        + " sampled participant; flood control on: %d updates per window of %s. Round 1 runs in a freshly started"
                        + " ensemble; each later round on a new thread of the same size in the same ensemble, after the round"
                        + " before it settled.%n%n",
                first.participants(), num(first.targetRate()), num(first.seconds()), first.directReplyEvery(),
                first.updatesPerWindow(), first.window()));
        md.append("| figure |");
        for (int i = 0; i < rounds.size(); i++) {
            md.append(i == 0 ? " round 1 (fresh) |" : " round " + (i + 1) + " (warm) |");
        }
        md.append("\n|---|").append("---:|".repeat(rounds.size())).append("\n");
        row(md, "comments answered 201 / failed", rounds, run -> run.comments() + " / " + run.failed());
        row(md, "emails sent per participant, max / p99", rounds, run -> run.perParticipantMax() + " / " + run.perParticipantP99());
        row(md, "direct replies to one participant, max; summaries to one participant, max", rounds,
                run -> run.directToOneMax() + "; " + run.summariesToOneMax());
        row(md, "participants over the bound (direct replies + (updates per window + 1 summary) per window spanned)", rounds,
                run -> String.valueOf(run.participantsOverBound()));
        row(md, "direct replies: sent / posted", rounds, run -> run.directRepliesSent() + " / " + run.directReplies());
        row(md, "direct reply latency (201 -> SENT) p50 / p99 / max, ms", rounds, run -> num(run.directReplyMs().p50()) + " / "
                + num(run.directReplyMs().p99()) + " / " + num(run.directReplyMs().max()));
        row(md, "of which 201 -> delivery recorded by the thread stage, p50 / p99 / max, ms", rounds,
                run -> num(run.directReplyRecordedMs().p50()) + " / " + num(run.directReplyRecordedMs().p99()) + " / "
                        + num(run.directReplyRecordedMs().max()));
        row(md, "direct reply latency on a quiet thread (" + first.quietDirectReplyMs().count() + " one at a time), p50 / p99, ms",
                rounds, run -> num(run.quietDirectReplyMs().p50()) + " / " + num(run.quietDirectReplyMs().p99()));
        row(md, "hot p99 / quiet p99 (target <= 2x)", rounds, run -> {
            double ratio = run.directReplyMs().p99() / run.quietDirectReplyMs().p99();
            return num(ratio) + "x" + (ratio <= 2 ? " (met)" : " (NOT met)");
        });
        row(md, "emails sent (thread), summaries sent, comments they carried (folded)", rounds,
                run -> run.emailsSent() + ", " + run.summariesSent() + ", " + run.folded());
        row(md, "notification-service peak heap / max, MB", rounds, run -> num(run.peakHeapMb()) + " / " + num(run.heapMaxMb()));
        row(md, "thread-stage lag (comment events): peak / when the load stopped", rounds,
                run -> run.lagPeak() + " / " + run.lagAtEnd());
        row(md, "caught up after the load, s; nothing PENDING after the load, s", rounds,
                run -> num(run.drainSeconds()) + "; " + num(run.settledSeconds()) + (run.settled() ? "" : " (NOT SETTLED)"));
        md.append(warmRoundsPooled(rounds));
        return md.toString();
    }

    /**
     * The warm rounds' direct replies, and their quiet replies, each pooled into one distribution, when
     * there are two warm rounds or more: the p99 of one round rests on its two or three slowest replies,
     * which differed between two runs of one build by more than any change tried (docs/benchmark.md,
     * 2026-12-07 late evening). Round 1 stays out: it measures the services' warm-up as much as the thread.
     */
    static String warmRoundsPooled(List<Results.HotThreadRun> rounds) {
        List<Results.HotThreadRun> warm = rounds.subList(1, rounds.size());
        if (warm.size() < 2) {
            return "";
        }
        Latencies.Summary hot = Latencies.ofMillis(warm.stream().flatMap(run -> run.directReplyEachMs().stream()).toList());
        Latencies.Summary quiet = Latencies.ofMillis(warm.stream().flatMap(run -> run.quietDirectReplyEachMs().stream()).toList());
        double ratio = hot.p99() / quiet.p99();
        return String.format(Locale.ROOT, "%nRounds 2-%d (warm) pooled:%n%n"
                        + "| direct replies | count | p50 ms | p95 ms | p99 ms | max ms |%n|---|---:|---:|---:|---:|---:|%n"
                        + "| on the hot thread | %d | %s | %s | %s | %s |%n| on a quiet thread | %d | %s | %s | %s | %s |%n"
                        + "| hot / quiet | | %s | %s | %s%s | |%n",
                rounds.size(), hot.count(), num(hot.p50()), num(hot.p95()), num(hot.p99()), num(hot.max()),
                quiet.count(), num(quiet.p50()), num(quiet.p95()), num(quiet.p99()), num(quiet.max()),
                num(hot.p50() / quiet.p50()) + "x", num(hot.p95() / quiet.p95()) + "x", num(ratio) + "x",
                ratio <= 2 ? " (target <= 2x: met)" : " (target <= 2x: NOT met)");
    }

    private static void row(StringBuilder md, String figure, List<Results.HotThreadRun> rounds,
            Function<Results.HotThreadRun, String> value) {
        md.append("| ").append(figure).append(" |");
        rounds.forEach(run -> md.append(" ").append(value.apply(run)).append(" |"));
        md.append("\n");
    }

    public static String threadPageTable(List<Results.PageRender> pages) {
        StringBuilder md = new StringBuilder("| page | requests | bytes | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n");
        for (Results.PageRender page : pages) {
            md.append("| ").append(page.page()).append(" | ").append(page.latency().count()).append(" | ").append(page.bytes())
                    .append(" | ").append(num(page.latency().p50())).append(" | ").append(num(page.latency().p99()))
                    .append(" | ").append(num(page.latency().max())).append(" |\n");
        }
        return md.toString();
    }

    static String num(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (Math.abs(value) >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
