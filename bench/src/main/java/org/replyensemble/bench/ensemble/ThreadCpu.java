package org.replyensemble.bench.ensemble;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where each service's CPU (and this benchmark JVM's) goes, by thread: the time each thread ran
 * and the time it was ready but waited for a core, as Linux's scheduler counts them
 * ({@code /proc/<pid>/task/<tid>/schedstat}, nanoseconds), summed over the threads of a kind (the thread's name with its numbers taken out:
 * {@code http-nio-#-exec-#}, {@code C# CompilerThread#}). Like {@link ProcessCpu} it costs the
 * measured processes nothing, where a profiler started in them recompiles their code
 * (docs/benchmark.md, 2026-12-03 morning), and unlike the JVM's {@code jvm.compilation.time}
 * (elapsed time, waits for a core included) it gives the JIT compilers' own CPU.
 *
 * <p>Linux only (empty elsewhere, or where the kernel keeps no schedstat). A thread that ends
 * within a step takes its time with it; the services' pools keep theirs, so that is rare.
 */
public final class ThreadCpu {

    /** One kind of thread in one service over a step: seconds on a core and seconds waiting for one. */
    public record Group(String service, String threads, double cpuSeconds, double waitSeconds) {
    }

    private record Key(String service, String threads) {
    }

    /** One thread's name and its nanoseconds so far on a core and waiting for one. */
    public record ThreadTimes(String name, long runNanos, long waitNanos) {
    }

    private ThreadCpu() {
    }

    /** So far, per service and thread id (empty where /proc has no schedstat). */
    public static Map<String, Map<String, ThreadTimes>> sample(Ensemble ensemble) {
        Map<String, Map<String, ThreadTimes>> services = new HashMap<>();
        ensemble.servicePids().forEach((service, pid) -> services.put(service, threads(pid)));
        // The load generator and the SMTP sink share the cores with the services: what they take is shown too.
        services.put("benchmark JVM", threads(ProcessHandle.current().pid()));
        return services;
    }

    /** after - before, summed per service and kind of thread, costliest first. */
    public static List<Group> used(Map<String, Map<String, ThreadTimes>> before, Map<String, Map<String, ThreadTimes>> after) {
        Map<Key, long[]> sums = new HashMap<>();
        after.forEach((service, threads) -> threads.forEach((tid, value) -> {
            ThreadTimes was = before.getOrDefault(service, Map.of()).get(tid);
            // a thread id reused by a new thread of another name started from zero
            if (was == null || !was.name().equals(value.name())) {
                was = new ThreadTimes(value.name(), 0, 0);
            }
            long[] sum = sums.computeIfAbsent(new Key(service, kind(value.name())), k -> new long[2]);
            sum[0] += value.runNanos() - was.runNanos();
            sum[1] += value.waitNanos() - was.waitNanos();
        }));
        List<Group> groups = new ArrayList<>();
        sums.forEach((key, sum) -> groups.add(new Group(key.service(), key.threads(), sum[0] / 1e9, sum[1] / 1e9)));
        groups.sort(Comparator.comparingDouble(Group::cpuSeconds).reversed());
        return groups;
    }

    static String kind(String threadName) {
        return threadName.replaceAll("[0-9]+", "#");
    }

    static Map<String, ThreadTimes> threads(long pid) {
        Map<String, ThreadTimes> threads = new HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return threads;
        }
        try (Stream<Path> ids = Files.list(tasks)) {
            ids.forEach(task -> {
                try {
                    // comm is the name cut to 15 bytes: enough to tell the pools apart
                    String name = Files.readString(task.resolve("comm")).strip();
                    String[] fields = Files.readString(task.resolve("schedstat")).strip().split("\\s+");
                    threads.put(task.getFileName().toString(),
                            new ThreadTimes(name, Long.parseLong(fields[0]), Long.parseLong(fields[1])));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while it was read, or there is no schedstat: it is left out
                }
            });
        } catch (IOException e) {
            // the process ended
        }
        return threads;
    }
}
