package org.replyensemble.bench.ensemble;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CPU time each part of the ensemble has used so far, as the operating system counts it
 * ({@link ProcessHandle.Info#totalCpuDuration()}, /proc on Linux): a cost that does not depend on
 * how the 2 cores' scheduling happened to interleave, where a latency percentile does, and that
 * costs the measured processes nothing, where a profiler started in them recompiles their code
 * (docs/benchmark.md, 2026-12-03 morning). PostgreSQL is its postmaster (found by the run's data
 * directory) and the backends it forked that are still alive: the services' connection pools keep
 * theirs open, so a backend that exits during a step is rare and its time is then missing.
 */
public final class ProcessCpu {

    /** The parts, in report order. */
    public static final String[] PARTS = {"notification-service", "comment-service", "post-service", "Kafka", "PostgreSQL",
            "benchmark JVM (load generator, SMTP sink)"};

    private ProcessCpu() {
    }

    /** CPU seconds used so far by each part (NaN for one the OS does not report). */
    public static Map<String, Double> sample(Ensemble ensemble) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String service : PARTS) {
            seconds.put(service, Double.NaN);
        }
        ensemble.servicePids().forEach((name, pid) -> seconds.put(name, cpu(ProcessHandle.of(pid).stream())));
        ProcessHandle self = ProcessHandle.current();
        seconds.put("Kafka", cpu(self.descendants().filter(p -> commandLineContains(p, "kafka.Kafka"))));
        String dataDir = ensemble.postgresDataDir().toAbsolutePath().toString();
        Optional<ProcessHandle> postmaster = ProcessHandle.allProcesses().filter(p -> commandLineContains(p, dataDir)).findFirst();
        seconds.put("PostgreSQL", postmaster.map(p -> cpu(Stream.concat(Stream.of(p), p.descendants()))).orElse(Double.NaN));
        seconds.put(PARTS[5], cpu(Stream.of(self)));
        return seconds;
    }

    /** after - before, per part. */
    public static Map<String, Double> used(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> used = new LinkedHashMap<>();
        before.forEach((part, value) -> used.put(part, after.getOrDefault(part, Double.NaN) - value));
        return used;
    }

    private static boolean commandLineContains(ProcessHandle process, String text) {
        return process.info().commandLine().map(line -> line.contains(text)).orElse(false);
    }

    private static double cpu(Stream<ProcessHandle> processes) {
        return processes.map(p -> p.info().totalCpuDuration())
                .map(d -> d.map(Duration::toNanos).orElse(0L))
                .mapToLong(Long::longValue).sum() / 1e9;
    }
}
