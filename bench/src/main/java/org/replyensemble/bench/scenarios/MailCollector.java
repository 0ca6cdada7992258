package org.replyensemble.bench.scenarios;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.replyensemble.bench.ensemble.EnsembleApi;
import org.replyensemble.bench.sink.AcceptedMail;
import org.replyensemble.bench.sink.SmtpSink;

/** Collects the sink's accepted messages that belong to one scenario. */
final class MailCollector {

    private final SmtpSink sink;
    private final Predicate<AcceptedMail> mine;
    private final List<AcceptedMail> collected = new ArrayList<>();

    MailCollector(SmtpSink sink, Predicate<AcceptedMail> mine) {
        this.sink = sink;
        this.mine = mine;
    }

    /** Forgets what the sink accepted before this scenario. */
    MailCollector reset() {
        sink.drain();
        collected.clear();
        return this;
    }

    int collect() {
        for (AcceptedMail mail : sink.drain()) {
            if (mine.test(mail)) {
                collected.add(mail);
            }
        }
        return collected.size();
    }

    /** Polls every 20 ms until {@code expected} messages are in or the timeout passed; returns the count. */
    int awaitCount(long expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int count;
        while ((count = collect()) < expected && System.nanoTime() < deadline) {
            EnsembleApi.pause(20);
        }
        return count;
    }

    List<AcceptedMail> collected() {
        return collected;
    }

}
