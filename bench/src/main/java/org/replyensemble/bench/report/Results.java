package org.replyensemble.bench.report;

import java.util.List;
import java.util.Map;

import org.replyensemble.bench.ensemble.StatementCosts;
import org.replyensemble.bench.ensemble.ThreadCpu;
import org.replyensemble.bench.load.Latencies;
import org.replyensemble.bench.raw.KafkaTools;

/** Every figure of one run, as written to report.json. Times in milliseconds unless named otherwise. */
public final class Results {

    private Results() {
    }

    public record Machine(String date, int cores, String cpu, long memoryMb, String java, String os,
                          String loadAverageBefore, String loadAverageAfter, String contention) {
    }

    /** One step of a closed loop: {@code clients} sending back to back. */
    public record IntakeStep(int clients, double seconds, long ok, long failed, double perSecond, Latencies.Summary latency) {
    }

    public record RawLimits(KafkaTools.EndToEnd kafkaEndToEnd, KafkaTools.ProducerThroughput kafkaProducer,
                            double javaMailPerSecond, List<IntakeStep> emptyEndpoint) {
    }

    /**
     * Comment to inbox at one rate. {@code inbox}: from each comment's 201 to the sink accepting each
     * of its emails; {@code backlogAtEnd}: emails still to come when the load stopped.
     */
    public record InboxRun(double targetRate, double seconds, long comments, long failed, double commentsPerSecond,
                           Latencies.Summary http, long emailsExpected, long emailsDelivered, double emailsPerSecond,
                           long backlogAtEnd, double drainSeconds, Latencies.Summary inbox, StageTimes stages,
                           Map<String, Double> cpuSeconds, double cpuWindowSeconds, List<ThreadCpu.Group> threadCpu,
                           List<StatementCosts.Cost> statements, List<StatementCosts.DatabaseCalls> statementsByDatabase) {
    }

    /** p50 and p99 of each stage of the comment-to-inbox path, in ms (see scenarios.Stages). */
    public record StageTimes(double relayP50, double relayP99, double toThreadStageP50, double toThreadStageP99,
                             double toSentP50, double toSentP99) {
    }

    /**
     * notification-service's consumer after the intake scenario: the comment events it was behind when
     * the intake stopped, and how fast it worked them off (each is a transaction of the thread stage).
     */
    public record ThreadStageCatchUp(long backlog, double seconds, double eventsPerSecond) {
    }

    public record MailThroughput(long emails, long delivered, double seconds, double emailsPerSecond, long smtpConnections) {
    }

    public record FanOutRun(int participants, long emailsExpected, long emailsDelivered, double deliveriesRecordedSeconds,
                            double firstEmailSeconds, double lastEmailSeconds, double emailsPerSecond,
                            double heapBeforeMb, double peakHeapMb, double heapMaxMb, boolean completed) {
    }

    /** One of our figures beside its raw limit; {@code ratio} = ours / raw. */
    public record Ratio(String figure, double ours, double raw, String unit, double ratio, String target, Boolean met) {
    }

    /** One page of a 10,000-comment thread fetched {@code requests} times in a row, one client. */
    public record PageRender(String page, String path, long bytes, Latencies.Summary latency) {
    }

    /**
     * Comments recorded one at a time on a thread of {@code earlierComments} comments by a few
     * participants: the thread stage's own time per comment (its listener's timer, the poll's
     * transaction included) and the wall-clock time from the 201 to the thread having moved past it.
     */
    public record ThreadLengthRun(int earlierComments, int comments, double stageMsPerComment,
                                  double createdToRecordedP50Ms, double createdToRecordedMaxMs) {
    }

    /**
     * Comments at a fixed rate for a while, no email: whether notification-service's consumer lag
     * grows (least-squares growth over the second half, events/s), its peak, what was left when the
     * load stopped and how long that took to drain.
     */
    public record SustainedRun(double targetRate, double seconds, long ok, long failed, double perSecond, double p99Ms,
                               long lagMax, long lagAtEnd, double lagGrowthPerSecond, double drainSeconds) {
    }

    /**
     * The hot-thread scenario (flood control on): {@code participants} seeded confirmed participants, comments
     * at {@code targetRate}/s, one in {@code directReplyEvery} a direct reply to a sampled participant.
     * Emails per participant count the SENT deliveries of the thread's delivery log (summaries included);
     * the direct-reply latency runs from the comment's 201 to its DIRECT_REPLY delivery's SENT mark, and its
     * first part to the delivery row's creation (the thread stage recorded it; the rest is the sender's queue).
     * Each direct reply's and each quiet reply's latency is kept too (ms, in the order the replies were posted),
     * so that rounds can be pooled: a round's p99 alone is its second or third slowest reply.
     */
    public record HotThreadRun(int participants, double targetRate, double seconds, long comments, long failed,
                               int directReplyEvery, long directReplies, long directRepliesSent, Latencies.Summary directReplyMs,
                               Latencies.Summary directReplyRecordedMs, Latencies.Summary quietDirectReplyMs,
                               String window, int updatesPerWindow, long emailsSent, long summariesSent, long folded,
                               long perParticipantMax, long perParticipantP99, long directToOneMax, long summariesToOneMax,
                               long participantsOverBound, double peakHeapMb, double heapMaxMb, long lagPeak, long lagAtEnd,
                               double drainSeconds, double settledSeconds, boolean settled, String slowestDirectReplies,
                               String loadStarted, List<Double> directReplyEachMs, List<Double> quietDirectReplyEachMs) {
    }

    public record Report(Machine machine, boolean quick, List<String> serviceJvmOptions, RawLimits raw,
                         List<InboxRun> commentToInbox, MailThroughput mailThroughput, List<FanOutRun> fanOut,
                         List<IntakeStep> commentIntake, ThreadStageCatchUp threadStageCatchUp, List<PageRender> threadPage,
                         List<ThreadLengthRun> threadLength, SustainedRun sustained, List<HotThreadRun> hotThread, List<Ratio> ratios,
                         List<String> notes) {
    }
}
